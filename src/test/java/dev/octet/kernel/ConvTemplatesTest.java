package dev.octet.kernel;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.octet.codegen.c.CCompiler;
import dev.octet.codegen.c.CPrinter;
import dev.octet.codegen.c.Headers;
import dev.octet.codegen.c.LibraryCache;
import dev.octet.kernel.loop.LoopKernel;
import dev.octet.runtime.NativeKernel;
import dev.octet.runtime.NativeLibrary;
import dev.octet.testing.ConvConformance;
import dev.octet.testing.ConvConformance.Case;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every conv template, printed to C, over {@link ConvConformance}'s random shapes and knob configurations against
 * the reference Conv. The cases are compiled into one library, so CI pays for one C compile.
 */
class ConvTemplatesTest {
    private static final int CASES = 48;

    @TestFactory
    Stream<DynamicTest> templatesMatchTheReference() {
        CCompiler cc = CCompiler.find();
        assumeTrue(cc != null, "no C compiler on this machine");
        List<Case> cases = ConvConformance.cases(CASES);
        List<LoopKernel> kernels = cases.stream().map(ConvTemplatesTest::build).toList();
        String source = CPrinter.translationUnit(Headers.standard(), kernels);
        Path lib = new LibraryCache(Path.of("target", "test-native-cache"), cc).get(source, Headers.standard())
                .library();
        NativeLibrary library = NativeLibrary.load(lib);
        return IntStream.range(0, cases.size()).mapToObj(i -> DynamicTest.dynamicTest(cases.get(i).title(), () -> {
            LoopKernel k = kernels.get(i);
            ConvConformance.check(cases.get(i), new NativeKernel(library, k.name(), k.buffers().size(),
                    k.scalars().size()));
        }));
    }

    private static LoopKernel build(Case c) {
        String name = "case" + c.id();
        return c.depthwise() ? DepthwiseTemplate.build(c.w(), c.c(), name) : ConvGemmTemplate.build(c.w(), c.c(), name);
    }
}
