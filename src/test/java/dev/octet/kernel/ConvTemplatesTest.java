package dev.octet.kernel;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.octet.codegen.c.CCompiler;
import dev.octet.codegen.c.CPrinter;
import dev.octet.codegen.c.Headers;
import dev.octet.codegen.c.LibraryCache;
import dev.octet.ir.op.nn.EpilogueStep;
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

    /**
     * Every tile (the AVX-512 6×64 one only at a level with AVX-512) and loop order, with blocks smaller and larger
     * than the image, at every level this CPU runs, on shapes whose channel and pixel counts leave partial tiles,
     * and on a wide image for some of them (the packing's unmasked in-row panels).
     */
    @TestFactory
    Stream<DynamicTest> everyTileAndOrderAtEveryLevelMatchesTheReference() {
        CCompiler cc = CCompiler.find();
        assumeTrue(cc != null, "no C compiler on this machine");
        List<ConvWorkload> shapes = List.of(
                new ConvWorkload(13, 20, 1, 3, 3, 1, 1, 1, 1, false, new Epilogue(List.of(EpilogueStep.BIAS,
                        EpilogueStep.RELU))),
                new ConvWorkload(17, 7, 1, 1, 1, 1, 1, 1, 1, true, new Epilogue(List.of())),
                new ConvWorkload(3, 8, 1, 7, 7, 2, 2, 1, 1, false, new Epilogue(List.of(EpilogueStep.BIAS))));
        List<DynamicTest> tests = new java.util.ArrayList<>();
        for (IsaLevel level : IsaLevel.values()) {
            if (!level.runsOn(dev.octet.runtime.CpuFeatures.current())) {
                continue;
            }
            List<Case> cases = new java.util.ArrayList<>();
            for (ConvWorkload w : shapes) {
                int pad = w.pointwise() ? 0 : w.kernelH() / 2;
                for (Config c : ConvGemmTemplate.knobs(w, level).all()) {
                    if (c.get("nc") <= 128 && c.get("kc") <= 128) {
                        cases.add(new Case(cases.size(), w, 11, 21, pad, pad, pad, pad, false, c));
                    }
                    if (c.get("nc") == 128 && c.get("kc") == 64) {
                        // rows wide enough that whole 16-pixel panels (32 input columns at stride 2) lie inside them
                        cases.add(new Case(cases.size(), w, 5, 70, pad, pad, pad, pad, false, c));
                    }
                }
            }
            List<LoopKernel> kernels = cases.stream().map(c -> ConvGemmTemplate.build(c.w(), c.c(),
                    "all" + c.id(), level)).toList();
            NativeLibrary library = new LibraryCache(Path.of("target", "test-native-cache"), cc, level)
                    .load(CPrinter.translationUnit(Headers.standard(), kernels), Headers.standard());
            for (int i = 0; i < cases.size(); i++) {
                Case c = cases.get(i);
                LoopKernel k = kernels.get(i);
                tests.add(DynamicTest.dynamicTest(level + " " + c.title(), () -> ConvConformance.check(c,
                        new NativeKernel(library, k.name(), k.buffers().size(), k.scalars().size()))));
            }
        }
        return tests.stream();
    }

    private static LoopKernel build(Case c) {
        String name = "case" + c.id();
        return c.depthwise() ? DepthwiseTemplate.build(c.w(), c.c(), name) : ConvGemmTemplate.build(c.w(), c.c(), name);
    }
}
