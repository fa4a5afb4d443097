package dev.octet.testing;

import dev.octet.ir.op.nn.EpilogueStep;
import static org.assertj.core.api.Assertions.assertThat;

import dev.octet.ir.Attribute;
import dev.octet.ir.Node;
import dev.octet.ir.Tensor;
import dev.octet.ir.op.EvalContext;
import dev.octet.ir.op.OperatorRegistry;
import dev.octet.kernel.Config;
import dev.octet.kernel.ConvGemmTemplate;
import dev.octet.kernel.ConvTemplates;
import dev.octet.kernel.ConvWorkload;
import dev.octet.kernel.DepthwiseTemplate;
import dev.octet.kernel.Epilogue;
import dev.octet.kernel.KnobSpace;
import dev.octet.runtime.Kernel;
import dev.octet.verify.FloatBound;
import dev.octet.verify.GuardedOutput;
import dev.octet.verify.TestInputs;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;

/**
 * Conformance of conv kernels (native or JVM) to the reference Conv, over random shapes (channels, groups, kernel
 * sizes, strides, dilations, pads, image sizes, epilogues) and random configurations of the template's knobs: exact
 * on small-integer inputs, within the fp32 accumulation bound on random inputs; outputs NaN-filled and
 * canary-guarded; the work range split in three uneven chunks. The cases are drawn with jqwik's generators from a
 * fixed seed, so every backend is held to the same list.
 */
public final class ConvConformance {
    /** One convolution to run: its workload, input size, pads and the template configuration under test. */
    public record Case(int id, ConvWorkload w, int h, int wd, int pt, int pl, int pb, int pr, boolean depthwise,
            Config c) {
        public int oh() {
            return (h + pt + pb - ((w.kernelH() - 1) * w.dilationH() + 1)) / w.strideH() + 1;
        }

        public int ow() {
            return (wd + pl + pr - ((w.kernelW() - 1) * w.dilationW() + 1)) / w.strideW() + 1;
        }

        /** A test name: id, workload key, configuration and image size. */
        public String title() {
            return id + " " + w.key() + " " + c + " " + h + "x" + wd;
        }
    }

    private ConvConformance() {
    }

    /** n random cases (a third of them depthwise), the same list on every call. */
    public static List<Case> cases(int n) {
        Random seeds = new Random(20261121);
        List<Case> out = new ArrayList<>();
        for (int id = 0; out.size() < n; id++) {
            long seed = seeds.nextLong();
            boolean depthwise = id % 3 == 2;
            int groups = depthwise ? pick(seed, 1, 24) : (id % 5 == 4 ? pick(seed + 1, 1, 4) : 1);
            int cinG = depthwise ? 1 : pick(seed + 2, 1, 40);
            int coutG = depthwise ? 1 : pick(seed + 3, 1, 40);
            int k = pick(seed + 4, 1, 5);
            int s = pick(seed + 5, 1, 3);
            int d = k > 1 && id % 7 == 0 ? 2 : 1;
            int h = pick(seed + 6, 1, 19);
            int wd = pick(seed + 7, 1, 23);
            int pt = pick(seed + 8, 0, k - 1);
            int pl = pick(seed + 9, 0, k - 1);
            int pb = pick(seed + 10, 0, k - 1);
            int pr = pick(seed + 11, 0, k - 1);
            boolean pointwise = k == 1 && s == 1 && pt + pl + pb + pr == 0 && id % 2 == 0;
            Epilogue epi = new Epilogue(switch (id % 4) {
                case 0 -> List.of();
                case 1 -> List.of(EpilogueStep.BIAS, EpilogueStep.RELU);
                case 2 -> List.of(EpilogueStep.BIAS, EpilogueStep.RESIDUAL, EpilogueStep.clip(-1, 6));
                default -> List.of(EpilogueStep.BIAS, EpilogueStep.HARDSWISH);
            });
            ConvWorkload w = new ConvWorkload(cinG * groups, coutG * groups, groups, k, k, s, s, d, d, pointwise, epi);
            if (h + pt + pb < (k - 1) * d + 1 || wd + pl + pr < (k - 1) * d + 1) {
                continue;
            }
            KnobSpace space = depthwise ? DepthwiseTemplate.knobs(w) : ConvGemmTemplate.knobs(w);
            List<Config> all = space.all();
            out.add(new Case(id, w, h, wd, pt, pl, pb, pr, depthwise, all.get(pick(seed + 12, 0, all.size() - 1))));
        }
        return out;
    }

    /** A value in [lo, hi] drawn by jqwik's integer generator from a fixed seed. */
    private static int pick(long seed, int lo, int hi) {
        return Arbitraries.integers().between(lo, hi).generator(1).next(new Random(seed)).value();
    }

    /** Runs the kernel made for this case on each input family and asserts it agrees with the reference. */
    public static void check(Case c, Kernel kernel) {
        check(c, kernel, false);
    }

    /**
     * As {@link #check}, with the output and the residual one buffer that holds the residual before the run, as
     * the runtime hands a kernel that may write over its residual (ConvTemplates#writesOverResidual).
     */
    public static void checkOverResidual(Case c, Kernel kernel) {
        check(c, kernel, true);
    }

    private static void check(Case c, Kernel kernel, boolean overResidual) {
        ConvWorkload w = c.w();
        int batch = 2;
        int inSize = batch * w.inChannels() * c.h() * c.wd();
        int wSize = w.outChannels() * w.reduction();
        int outSize = batch * w.outChannels() * c.oh() * c.ow();
        for (TestInputs.Kind kind : TestInputs.Kind.values()) {
            if (kind == TestInputs.Kind.EXTREME) {
                continue; // fp32 extremes are covered by the bound with random inputs; int8 kernels use them
            }
            float[] x = TestInputs.floats(kind, inSize, c.id() * 31L + 1);
            float[] wt = TestInputs.floats(kind, wSize, c.id() * 31L + 2);
            float[] bias = TestInputs.floats(kind, w.outChannels(), c.id() * 31L + 3);
            float[] res = TestInputs.floats(kind, outSize, c.id() * 31L + 4);
            float[] actual = run(kernel, c, batch, x, wt, bias, res, outSize, overResidual);
            float[] exact = reference(c, batch, x, wt, bias, res, false);
            if (kind == TestInputs.Kind.SMALL_INTEGER && !hasFractionalEpilogue(w)) {
                assertThat(actual).as("small-integer inputs are exact in any order").containsExactly(exact);
            } else {
                float[] magnitude = reference(c, batch, abs(x), abs(wt), abs(bias), abs(res), true);
                assertThat(FloatBound.check(actual, exact, magnitude, w.reduction(), w.epilogue().steps().size()))
                        .isNull();
            }
        }
    }

    private static boolean hasFractionalEpilogue(ConvWorkload w) {
        return w.epilogue().steps().stream().anyMatch(s -> s.kind() == EpilogueStep.Kind.HARDSWISH);
    }

    /** The kernel's output for these inputs, from the template's argument list and parallel range. */
    public static float[] run(Kernel kernel, Case c, int batch, float[] x, float[] wt, float[] bias, float[] res,
            int outSize) {
        return run(kernel, c, batch, x, wt, bias, res, outSize, false);
    }

    private static float[] run(Kernel kernel, Case c, int batch, float[] x, float[] wt, float[] bias, float[] res,
            int outSize, boolean overResidual) {
        ConvWorkload w = c.w();
        GuardedOutput out = overResidual ? GuardedOutput.holding(res) : new GuardedOutput(outSize);
        List<MemorySegment> bufs = new ArrayList<>(List.of(MemorySegment.ofArray(x), MemorySegment.ofArray(
                ConvTemplates.packWeights(w, c.c(), wt))));
        if (w.epilogue().hasBias()) {
            bufs.add(MemorySegment.ofArray(bias));
        }
        if (w.epilogue().hasResidual()) {
            bufs.add(overResidual ? out.segment() : MemorySegment.ofArray(res));
        }
        bufs.add(out.segment());
        long range = ConvTemplates.parallelRange(w, batch, c.oh(), c.ow(), c.c());
        long[] scalars = {c.h(), c.wd(), c.oh(), c.ow(), c.pt(), c.pl()};
        // Three uneven chunks, as three threads would run them: the cuts fall inside a pixel block's output-channel
        // slices as often as not.
        long first = range / 3;
        long second = Math.min(range, 2 * range / 3 + 1);
        kernel.invoke(bufs.toArray(MemorySegment[]::new), scalars, 0, first);
        kernel.invoke(bufs.toArray(MemorySegment[]::new), scalars, first, second);
        kernel.invoke(bufs.toArray(MemorySegment[]::new), scalars, second, range);
        assertThat(out.damage()).isNull();
        return out.values();
    }

    /** The reference Conv, then the epilogue in double (on absolute values: each step's Lipschitz bound). */
    public static float[] reference(Case c, int batch, float[] x, float[] wt, float[] bias, float[] res,
            boolean magnitude) {
        ConvWorkload w = c.w();
        Node conv = Node.of("conv", "Conv", List.of("x", "w"), List.of("y"),
                Attribute.of("group", (long) w.groups()), Attribute.of("strides", (long) w.strideH(), w.strideW()),
                Attribute.of("dilations", (long) w.dilationH(), w.dilationW()),
                Attribute.of("pads", (long) c.pt(), c.pl(), c.pb(), c.pr()));
        Tensor xt = Tensor.ofFloats(new int[] {batch, w.inChannels(), c.h(), c.wd()}, x);
        Tensor wtt = Tensor.ofFloats(new int[] {w.outChannels(), w.inPerGroup(), w.kernelH(), w.kernelW()}, wt);
        Tensor y = OperatorRegistry.forNode(conv).evaluate(new EvalContext(conv, 13, Arrays.asList(xt, wtt))).get(0);
        return epilogue(c, y.toDoubles(), bias, res, magnitude);
    }

    /** The case's epilogue applied in double to conv results v (or, with magnitude, each step's Lipschitz bound). */
    public static float[] epilogue(Case c, double[] v, float[] bias, float[] res, boolean magnitude) {
        ConvWorkload w = c.w();
        int plane = c.oh() * c.ow();
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            int co = (i / plane) % w.outChannels();
            double x = v[i];
            for (EpilogueStep s : w.epilogue().steps()) {
                x = switch (s.kind()) {
                    case BIAS -> x + bias[co];
                    case RESIDUAL -> x + res[i];
                    case RELU -> magnitude ? x : Math.max(x, 0);
                    case CLIP -> magnitude ? x : Math.min(Math.max(x, s.a()), s.b());
                    case HARDSIGMOID -> magnitude ? s.a() * x : Math.min(Math.max(s.a() * x + s.b(), 0), 1);
                    case HARDSWISH -> magnitude ? 2 * x + 1 : x * Math.min(Math.max(x / 6 + 0.5, 0), 1);
                };
            }
            out[i] = (float) x;
        }
        return out;
    }

    public static float[] abs(float[] a) {
        float[] o = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            o[i] = Math.abs(a[i]);
        }
        return o;
    }
}
