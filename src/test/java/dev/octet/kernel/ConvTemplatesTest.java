package dev.octet.kernel;

import static org.assertj.core.api.Assertions.assertThat;
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
import org.junit.jupiter.api.Test;
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
            tests.addAll(gemmTests(cc, level, cases, "all", ConvConformance::check));
        }
        return tests.stream();
    }

    /** The conv-as-GEMM kernels of the cases, compiled into one library at a level, each checked as a test. */
    private static List<DynamicTest> gemmTests(CCompiler cc, IsaLevel level, List<Case> cases, String prefix,
            java.util.function.BiConsumer<Case, dev.octet.runtime.Kernel> check) {
        List<LoopKernel> kernels = cases.stream().map(c -> ConvGemmTemplate.build(c.w(), c.c(), prefix + c.id(),
                level)).toList();
        NativeLibrary library = new LibraryCache(Path.of("target", "test-native-cache"), cc, level)
                .load(CPrinter.translationUnit(Headers.standard(), kernels), Headers.standard());
        List<DynamicTest> tests = new java.util.ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            LoopKernel k = kernels.get(i);
            tests.add(DynamicTest.dynamicTest(level + " " + c.title(), () -> check.accept(c,
                    new NativeKernel(library, k.name(), k.buffers().size(), k.scalars().size()))));
        }
        return tests;
    }

    /**
     * The kernels that may write their output over their residual ({@link ConvTemplates#writesOverResidual}) run
     * with one buffer for both, holding the residual before the run, as the runtime hands it them: every tile
     * order and pixel block, on shapes whose reduction is one block, with the tiles' fused epilogues.
     */
    @TestFactory
    Stream<DynamicTest> kernelsWritingOverTheirResidualMatchTheReference() {
        CCompiler cc = CCompiler.find();
        assumeTrue(cc != null, "no C compiler on this machine");
        List<ConvWorkload> shapes = List.of(
                new ConvWorkload(17, 20, 1, 1, 1, 1, 1, 1, 1, true, new Epilogue(List.of(EpilogueStep.BIAS,
                        EpilogueStep.RESIDUAL, EpilogueStep.RELU))),
                new ConvWorkload(13, 7, 1, 3, 3, 1, 1, 1, 1, false, new Epilogue(List.of(EpilogueStep.RESIDUAL))),
                new ConvWorkload(24, 13, 1, 1, 1, 2, 2, 1, 1, false, new Epilogue(List.of(EpilogueStep.BIAS,
                        EpilogueStep.RESIDUAL))));
        List<DynamicTest> tests = new java.util.ArrayList<>();
        for (IsaLevel level : IsaLevel.values()) {
            if (!level.hasAvx512() || !level.runsOn(dev.octet.runtime.CpuFeatures.current())) {
                continue;
            }
            List<Case> cases = new java.util.ArrayList<>();
            for (ConvWorkload w : shapes) {
                int pad = w.kernelH() / 2;
                for (Config c : ConvGemmTemplate.knobs(w, level).all()) {
                    if (ConvTemplates.writesOverResidual(w, c) && c.get("nc") <= 128 && c.get("kc") <= 256) {
                        cases.add(new Case(cases.size(), w, 11, 21, pad, pad, pad, pad, false, c));
                    }
                }
            }
            assertThat(cases).hasSizeGreaterThan(20);
            tests.addAll(gemmTests(cc, level, cases, "over", ConvConformance::checkOverResidual));
        }
        return tests.stream();
    }

    /**
     * Only one reduction block and the AVX-512 tile's fused epilogue let a kernel write over its residual: with
     * more blocks the first one's partial sums would overwrite residuals the last has yet to add, and an epilogue
     * pass after the GEMM reads residuals the GEMM has overwritten.
     */
    @Test
    void writingOverTheResidualNeedsOneReductionBlockAndTheTilesEpilogue() {
        Epilogue bres = new Epilogue(List.of(EpilogueStep.BIAS, EpilogueStep.RESIDUAL, EpilogueStep.RELU));
        ConvWorkload expand = new ConvWorkload(256, 1024, 1, 1, 1, 1, 1, 1, 1, true, bres);
        Config defaults = ConvGemmTemplate.knobs(expand, IsaLevel.X86_64_V4_VNNI).defaults();
        assertThat(ConvTemplates.writesOverResidual(expand, defaults)).isTrue();
        assertThat(ConvTemplates.writesOverResidual(expand, with(defaults, "kc", 128))).as("two blocks").isFalse();
        assertThat(ConvTemplates.writesOverResidual(expand, with(defaults, "tile", ConvGemmTemplate.TILE_AVX2)))
                .as("the AVX2 tile's epilogue is a pass").isFalse();
        assertThat(ConvTemplates.writesOverResidual(new ConvWorkload(256, 1024, 1, 1, 1, 1, 1, 1, 1, true,
                new Epilogue(List.of(EpilogueStep.BIAS, EpilogueStep.RELU))), defaults)).as("no residual").isFalse();
        assertThat(ConvTemplates.writesOverResidual(new ConvWorkload(256, 1024, 1, 1, 1, 1, 1, 1, 1, true,
                new Epilogue(List.of(EpilogueStep.BIAS, EpilogueStep.RELU, EpilogueStep.RESIDUAL))), defaults))
                .as("a residual after the activation: an epilogue pass").isFalse();
    }

    private static Config with(Config c, String knob, int value) {
        java.util.Map<String, Integer> values = new java.util.LinkedHashMap<>(c.values());
        values.put(knob, value);
        return new Config(c.template(), values);
    }

    private static LoopKernel build(Case c) {
        String name = "case" + c.id();
        return c.depthwise() ? DepthwiseTemplate.build(c.w(), c.c(), name) : ConvGemmTemplate.build(c.w(), c.c(), name);
    }
}
