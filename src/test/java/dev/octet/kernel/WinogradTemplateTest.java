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
import dev.octet.verify.GuardedOutput;
import dev.octet.verify.TestInputs;
import dev.octet.verify.WinogradBound;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * fp32 Winograd against the reference Conv within {@link WinogradBound}: loose enough for correct kernels over
 * random shapes, knobs, epilogues and values; tight enough that a transform with one entry off by 1/8 fails.
 */
class WinogradTemplateTest {
    private static final List<List<EpilogueStep>> EPILOGUES = List.of(List.of(),
            List.of(EpilogueStep.BIAS, EpilogueStep.RELU),
            List.of(EpilogueStep.BIAS, EpilogueStep.RESIDUAL, EpilogueStep.clip(-1, 6)),
            List.of(EpilogueStep.BIAS, EpilogueStep.HARDSWISH));

    @Test
    void transformsComputeTheCorrelationExactlyInDouble() {
        Random r = new Random(3);
        for (int m : new int[] {2, 4}) {
            WinogradTransforms t = WinogradTransforms.of(m);
            int n = t.tile();
            float[] g = new float[9];
            double[] d = new double[n * n];
            for (int i = 0; i < 9; i++) {
                g[i] = r.nextFloat() - 0.5f;
            }
            for (int i = 0; i < d.length; i++) {
                d[i] = r.nextDouble() - 0.5;
            }
            double[] u = t.transformFilter(g, 0);
            double[] mm = new double[n * n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double v = 0;
                    for (int k = 0; k < n; k++) {
                        for (int l = 0; l < n; l++) {
                            v += t.bt()[i][k] * d[k * n + l] * t.bt()[j][l];
                        }
                    }
                    mm[i * n + j] = u[i * n + j] * v;
                }
            }
            for (int y = 0; y < m; y++) {
                for (int x = 0; x < m; x++) {
                    double wino = 0;
                    double direct = 0;
                    for (int k = 0; k < n; k++) {
                        for (int l = 0; l < n; l++) {
                            wino += t.at()[y][k] * mm[k * n + l] * t.at()[x][l];
                        }
                    }
                    for (int k = 0; k < 3; k++) {
                        for (int l = 0; l < 3; l++) {
                            direct += d[(y + k) * n + x + l] * g[k * 3 + l];
                        }
                    }
                    assertThat(wino).as("F(%dx%d) output %d,%d", m, m, y, x).isCloseTo(direct,
                            org.assertj.core.data.Offset.offset(1e-12));
                }
            }
        }
    }

    @Property(tries = 12, seed = "20261122")
    void randomShapesKnobsAndValuesStayWithinTheBound(@ForAll @IntRange(min = 1, max = 40) int cin,
            @ForAll @IntRange(min = 1, max = 30) int cout, @ForAll @IntRange(min = 1, max = 17) int h,
            @ForAll @IntRange(min = 1, max = 19) int wd, @ForAll @IntRange(min = 0, max = 1) int pad,
            @ForAll @IntRange(min = 0, max = 3) int epilogue, @ForAll @IntRange(min = 0, max = 1000) int knobs) {
        int p = h < 3 || wd < 3 ? 1 : pad; // the 3×3 kernel must fit the padded input
        ConvWorkload w = new ConvWorkload(cin, cout, 1, 3, 3, 1, 1, 1, 1, false, new Epilogue(EPILOGUES.get(epilogue)));
        List<Config> all = WinogradTemplate.knobs(w).all();
        Config c = all.get(knobs % all.size());
        Case k = new Case(knobs, w, h, wd, p, p, p, p, false, c);
        NativeKernel kernel = compile(w, c, WinogradTransforms.of(c.get("m")));
        for (TestInputs.Kind kind : TestInputs.Kind.values()) {
            assertThat(check(k, kernel, WinogradTransforms.of(c.get("m")), kind, knobs)).as(kind + " " + k.title())
                    .isNull();
        }
    }

    @Test
    void aTransformEntryOffByAnEighthIsCaught() {
        ConvWorkload w = new ConvWorkload(24, 12, 1, 3, 3, 1, 1, 1, 1, false,
                new Epilogue(List.of(EpilogueStep.BIAS, EpilogueStep.RELU)));
        for (int m : new int[] {2, 4}) {
            Config c = WinogradTemplate.knobs(w).all().stream().filter(x -> x.get("m") == m).findFirst()
                    .orElseThrow();
            Case k = new Case(m, w, 13, 11, 1, 1, 1, 1, false, c);
            WinogradTransforms right = WinogradTransforms.of(m);
            assertThat(check(k, compile(w, c, right), right, TestInputs.Kind.RANDOM, 7)).isNull();
            for (String matrix : List.of("bt", "at")) {
                double[][] a = matrix.equals("bt") ? right.bt() : right.at();
                WinogradTransforms wrong = right.withEntry(matrix, 1, 1, a[1][1] + 0.125);
                assertThat(check(k, compile(w, c, wrong), right, TestInputs.Kind.RANDOM, 7))
                        .as("F(%dx%d) with %s[1][1] off by 1/8", m, m, matrix).contains("exceeds the Winograd bound");
            }
            WinogradTransforms wrongG = right.withEntry("g", 1, 1, right.g()[1][1] + 0.125);
            assertThat(check(k, compile(w, c, right), right, wrongG, TestInputs.Kind.RANDOM, 7))
                    .as("F(%dx%d) with G[1][1] off by 1/8", m, m).contains("exceeds the Winograd bound");
        }
    }

    /**
     * At x86-64-v3 the input gather and the output scatter of octet_swino.h are scalar loops, not AVX-512 masked
     * gathers and scatters: both m, partial tile panels, padding, tiles reaching past the image and a residual.
     */
    @Test
    void theAvx2LevelsScalarGatherAndScatterStayWithinTheBound() {
        assumeTrue(IsaLevel.X86_64_V3.runsOn(dev.octet.runtime.CpuFeatures.current()), "no AVX2 on this CPU");
        ConvWorkload w = new ConvWorkload(19, 13, 1, 3, 3, 1, 1, 1, 1, false, new Epilogue(EPILOGUES.get(2)));
        for (Config c : WinogradTemplate.knobs(w, IsaLevel.X86_64_V3).all()) {
            if (c.get("cob") != 24 || c.get("kc") != 64) {
                continue; // the data movement does not depend on the product's blocking
            }
            Case k = new Case(c.get("m") * 10 + c.get("tiles"), w, 15, 17, 1, 1, 1, 1, false, c);
            WinogradTransforms t = WinogradTransforms.of(c.get("m"));
            NativeKernel kernel = compile(w, c, t, IsaLevel.X86_64_V3);
            for (TestInputs.Kind kind : TestInputs.Kind.values()) {
                assertThat(check(k, kernel, t, kind, 5)).as(kind + " " + k.title()).isNull();
            }
        }
    }

    private static NativeKernel compile(ConvWorkload w, Config c, WinogradTransforms t) {
        return compile(w, c, t, IsaLevel.defaultLevel());
    }

    private static NativeKernel compile(ConvWorkload w, Config c, WinogradTransforms t, IsaLevel level) {
        CCompiler cc = CCompiler.find();
        assumeTrue(cc != null, "no C compiler on this machine");
        LoopKernel k = WinogradTemplate.build(w, c, "wino", level, t);
        NativeLibrary lib = new LibraryCache(Path.of("target", "test-native-cache"), cc, level)
                .load(CPrinter.translationUnit(Headers.standard(), List.of(k)), Headers.standard());
        return new NativeKernel(lib, k.name(), k.buffers().size(), k.scalars().size());
    }

    private static String check(Case k, NativeKernel kernel, WinogradTransforms bound, TestInputs.Kind kind,
            long seed) {
        return check(k, kernel, bound, bound, kind, seed);
    }

    /**
     * The bound's verdict on the kernel's output, its weights packed with {@code packing}'s G, judged with
     * {@code bound}'s transforms (a test's planted error is in the kernel or the packing, never in the bound).
     */
    private static String check(Case k, NativeKernel kernel, WinogradTransforms bound, WinogradTransforms packing,
            TestInputs.Kind kind, long seed) {
        ConvWorkload w = k.w();
        int batch = 2;
        int outSize = batch * w.outChannels() * k.oh() * k.ow();
        float[] x = TestInputs.floats(kind, batch * w.inChannels() * k.h() * k.wd(), seed * 31 + 1);
        float[] wt = TestInputs.floats(kind, w.outChannels() * w.reduction(), seed * 31 + 2);
        float[] bias = TestInputs.floats(kind, w.outChannels(), seed * 31 + 3);
        float[] res = TestInputs.floats(kind, outSize, seed * 31 + 4);
        GuardedOutput out = new GuardedOutput(outSize);
        List<MemorySegment> bufs = new ArrayList<>(List.of(MemorySegment.ofArray(x),
                MemorySegment.ofArray(WinogradTemplate.packWeights(w, packing, wt))));
        if (w.epilogue().hasBias()) {
            bufs.add(MemorySegment.ofArray(bias));
        }
        if (w.epilogue().hasResidual()) {
            bufs.add(MemorySegment.ofArray(res));
        }
        bufs.add(out.segment());
        long range = WinogradTemplate.parallelRange(w, batch, k.oh(), k.ow(), k.c());
        long[] scalars = {k.h(), k.wd(), k.oh(), k.ow(), k.pt(), k.pl()};
        long mid = range / 3; // two uneven chunks, as two threads would run them
        MemorySegment[] args = bufs.toArray(MemorySegment[]::new);
        kernel.invoke(args, scalars, 0, mid);
        kernel.invoke(args, scalars, mid, range);
        if (out.damage() != null) {
            return out.damage();
        }
        float[] exact = ConvConformance.reference(k, batch, x, wt, bias, res, false);
        double[] raw = WinogradBound.magnitude(bound, x, batch, w.inChannels(), k.h(), k.wd(), k.pt(), k.pl(), wt,
                w.outChannels(), k.oh(), k.ow());
        float[] magnitude = ConvConformance.epilogue(k, raw, ConvConformance.abs(bias), ConvConformance.abs(res),
                true);
        return WinogradBound.check(out.values(), exact, magnitude, WinogradBound.chainLength(bound, w.inChannels()),
                w.epilogue().steps().size());
    }
}
