package dev.octet.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.octet.codegen.c.CCompiler;
import dev.octet.codegen.c.CPrinter;
import dev.octet.codegen.c.Headers;
import dev.octet.codegen.c.LibraryCache;
import dev.octet.ir.op.nn.EpilogueStep;
import dev.octet.kernel.loop.LoopKernel;
import dev.octet.runtime.CpuFeatures;
import dev.octet.runtime.NativeKernel;
import dev.octet.runtime.NativeLibrary;
import dev.octet.testing.ConvConformance;
import dev.octet.testing.ConvConformance.Case;
import dev.octet.verify.TestInputs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Conv-as-GEMM with pixels as the tile's rows ({@link PixelRowsConvTemplate}): against the reference Conv over
 * {@link ConvConformance}'s random ungrouped shapes with its knobs drawn in turn, and on shapes chosen for its edges
 * (a 7×7 plane, output channels that leave partial 16- and 64-channel slices, several reduction blocks, an epilogue
 * the store cannot apply); and bit for bit against {@link ConvGemmTemplate}, whose fused multiply-adds it repeats
 * in the same order.
 */
class PixelRowsConvTemplateTest {
    private static final IsaLevel LEVEL = IsaLevel.defaultLevel();

    /** The edge shapes: input channels, output channels, kernel, stride, pad, pointwise, epilogue, plane. */
    private static final List<Case> EDGES = List.of(
            edge(0, 40, 70, 1, 1, 0, true, List.of(EpilogueStep.BIAS, EpilogueStep.RESIDUAL, EpilogueStep.RELU), 7,
                    7, 60, 128),
            edge(1, 24, 130, 3, 1, 1, false, List.of(EpilogueStep.BIAS, EpilogueStep.RELU), 7, 7, 30, 64),
            edge(2, 33, 17, 1, 2, 0, false, List.of(EpilogueStep.BIAS, EpilogueStep.RESIDUAL), 14, 13,
                    60, 256),
            edge(3, 19, 64, 3, 2, 1, false, List.of(EpilogueStep.BIAS, EpilogueStep.HARDSWISH), 15, 9,
                    120, 100),
            edge(4, 300, 66, 1, 1, 0, true, List.of(EpilogueStep.clip(-1, 6)), 3, 5, 198, 128),
            edge(5, 7, 5, 5, 1, 2, false, List.of(), 1, 1, 6, 1024));

    private static Case edge(int id, int cin, int cout, int k, int s, int pad, boolean pointwise,
            List<EpilogueStep> epilogue, int h, int wd, int nc, int kc) {
        ConvWorkload w = new ConvWorkload(cin, cout, 1, k, k, s, s, 1, 1, pointwise, new Epilogue(epilogue));
        return new Case(id, w, h, wd, pad, pad, pad, pad, false, new Config(PixelRowsConvTemplate.NAME,
                java.util.Map.of("nc", nc, "kc", kc)));
    }

    @TestFactory
    Stream<DynamicTest> matchesTheReference() {
        NativeLibrary library = libraryOrSkip(cases());
        return cases().stream().map(c -> DynamicTest.dynamicTest(c.title(), () -> ConvConformance.check(c,
                kernel(library, c))));
    }

    /** Random floats, not small integers: any change in the order of the sums would show in the last bits. */
    @TestFactory
    Stream<DynamicTest> givesTheBitsOfConvAsGemm() {
        List<Case> px = cases();
        List<Case> gemm = px.stream().map(c -> new Case(1000 + c.id(), c.w(), c.h(), c.wd(), c.pt(), c.pl(), c.pb(),
                c.pr(), false, ConvGemmTemplate.knobs(c.w(), LEVEL).defaults())).toList();
        List<Case> all = new ArrayList<>(px);
        all.addAll(gemm);
        NativeLibrary library = libraryOrSkip(all);
        List<DynamicTest> tests = new ArrayList<>();
        for (int i = 0; i < px.size(); i++) {
            Case c = px.get(i);
            Case g = gemm.get(i);
            tests.add(DynamicTest.dynamicTest(c.title(), () -> {
                ConvWorkload w = c.w();
                int batch = 2;
                int outSize = batch * w.outChannels() * c.oh() * c.ow();
                float[] x = TestInputs.floats(TestInputs.Kind.RANDOM, batch * w.inChannels() * c.h() * c.wd(), 1);
                float[] wt = TestInputs.floats(TestInputs.Kind.RANDOM, w.outChannels() * w.reduction(), 2);
                float[] bias = TestInputs.floats(TestInputs.Kind.RANDOM, w.outChannels(), 3);
                float[] res = TestInputs.floats(TestInputs.Kind.RANDOM, outSize, 4);
                assertThat(ConvConformance.run(kernel(library, c), c, batch, x, wt, bias, res, outSize))
                        .containsExactly(ConvConformance.run(kernel(library, g), g, batch, x, wt, bias, res, outSize));
            }));
        }
        return tests.stream();
    }

    @Test
    void isOfferedForUngroupedConvolutionsAtLevelsWithAvx512AndNeverTheDefault() {
        ConvWorkload conv = new ConvWorkload(512, 2048, 1, 1, 1, 1, 1, 1, 1, true, new Epilogue(List.of()));
        ConvWorkload grouped = new ConvWorkload(64, 64, 2, 3, 3, 1, 1, 1, 1, false, new Epilogue(List.of()));
        assertThat(Implementations.conv(conv, IsaLevel.X86_64_V4_VNNI)).extracting(KnobSpace::template)
                .containsExactly(ConvGemmTemplate.NAME, PixelRowsConvTemplate.NAME);
        assertThat(Implementations.conv(conv, IsaLevel.X86_64_V3)).extracting(KnobSpace::template)
                .doesNotContain(PixelRowsConvTemplate.NAME);
        assertThat(Implementations.conv(grouped, IsaLevel.X86_64_V4_VNNI)).extracting(KnobSpace::template)
                .doesNotContain(PixelRowsConvTemplate.NAME);
    }

    /**
     * ConvConformance's ungrouped random cases, each with the next of the template's configurations, then the
     * edge shapes.
     */
    private static List<Case> cases() {
        List<Config> configs = PixelRowsConvTemplate.knobs(EDGES.get(0).w()).all();
        List<Case> out = new ArrayList<>();
        for (Case c : ConvConformance.cases(48)) {
            if (!c.depthwise() && c.w().groups() == 1) {
                out.add(new Case(c.id(), c.w(), c.h(), c.wd(), c.pt(), c.pl(), c.pb(), c.pr(), false,
                        configs.get(out.size() % configs.size())));
            }
        }
        for (Case e : EDGES) {
            out.add(new Case(500 + e.id(), e.w(), e.h(), e.wd(), e.pt(), e.pl(), e.pb(), e.pr(), false, e.c()));
        }
        return out;
    }

    private static NativeLibrary libraryOrSkip(List<Case> cases) {
        CCompiler cc = CCompiler.find();
        assumeTrue(cc != null, "no C compiler on this machine");
        assumeTrue(LEVEL.hasAvx512() && LEVEL.runsOn(CpuFeatures.current()), "this CPU has no AVX-512");
        List<LoopKernel> kernels = cases.stream().map(c -> ConvTemplates.build(c.w(), c.c(), name(c), LEVEL))
                .toList();
        return new LibraryCache(Path.of("target", "test-native-cache"), cc, LEVEL)
                .load(CPrinter.translationUnit(Headers.standard(), kernels), Headers.standard());
    }

    private static NativeKernel kernel(NativeLibrary library, Case c) {
        LoopKernel k = ConvTemplates.build(c.w(), c.c(), name(c), LEVEL);
        return new NativeKernel(library, k.name(), k.buffers().size(), k.scalars().size());
    }

    private static String name(Case c) {
        return "px" + c.id();
    }
}
