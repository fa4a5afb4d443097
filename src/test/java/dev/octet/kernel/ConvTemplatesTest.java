package dev.octet.kernel;

import dev.octet.ir.op.nn.EpilogueStep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.octet.codegen.c.CCompiler;
import dev.octet.codegen.c.CPrinter;
import dev.octet.codegen.c.Headers;
import dev.octet.codegen.c.LibraryCache;
import dev.octet.ir.Attribute;
import dev.octet.ir.DataType;
import dev.octet.ir.Node;
import dev.octet.ir.Tensor;
import dev.octet.ir.op.EvalContext;
import dev.octet.ir.op.OperatorRegistry;
import dev.octet.kernel.loop.LoopKernel;
import dev.octet.runtime.NativeKernel;
import dev.octet.runtime.NativeLibrary;
import dev.octet.verify.FloatBound;
import dev.octet.verify.GuardedOutput;
import dev.octet.verify.TestInputs;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every conv template, over random shapes (channels, groups, kernel sizes, strides, dilations, pads, image sizes)
 * and random configurations of its knobs, against the reference Conv: bit-exact on small-integer inputs, within the
 * fp32 accumulation bound on random inputs; outputs NaN-filled and canary-guarded. The random cases are drawn with
 * jqwik's generators from a fixed seed and compiled into one library, so CI pays for one C compile.
 */
class ConvTemplatesTest {
    private static final int CASES = 48;

    record Case(int id, ConvWorkload w, int h, int wd, int pt, int pl, int pb, int pr, boolean depthwise, Config c,
            LoopKernel kernel) {
        int oh() {
            return (h + pt + pb - ((w.kernelH() - 1) * w.dilationH() + 1)) / w.strideH() + 1;
        }

        int ow() {
            return (wd + pl + pr - ((w.kernelW() - 1) * w.dilationW() + 1)) / w.strideW() + 1;
        }
    }

    @TestFactory
    Stream<DynamicTest> templatesMatchTheReference() {
        CCompiler cc = CCompiler.find();
        assumeTrue(cc != null, "no C compiler on this machine");
        List<Case> cases = cases();
        String source = CPrinter.translationUnit(Headers.standard(), cases.stream().map(Case::kernel).toList());
        Path lib = new LibraryCache(Path.of("target", "test-native-cache"), cc).get(source, Headers.standard())
                .library();
        NativeLibrary library = NativeLibrary.load(lib);
        return cases.stream().map(c -> DynamicTest.dynamicTest(
                c.id() + " " + c.w().key() + " " + c.c() + " " + c.h() + "x" + c.wd(), () -> check(library, c)));
    }

    private static List<Case> cases() {
        Random seeds = new Random(20261121);
        List<Case> out = new ArrayList<>();
        for (int id = 0; out.size() < CASES; id++) {
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
            Case probe = new Case(id, w, h, wd, pt, pl, pb, pr, depthwise, null, null);
            if (h + pt + pb < (k - 1) * d + 1 || wd + pl + pr < (k - 1) * d + 1) {
                continue;
            }
            KnobSpace space = depthwise ? DepthwiseTemplate.knobs(w) : ConvGemmTemplate.knobs(w);
            List<Config> all = space.all();
            Config c = all.get(pick(seed + 12, 0, all.size() - 1));
            String name = "case" + id;
            LoopKernel kernel = depthwise ? DepthwiseTemplate.build(w, c, name) : ConvGemmTemplate.build(w, c, name);
            out.add(new Case(id, w, h, wd, pt, pl, pb, pr, depthwise, c, kernel));
        }
        return out;
    }

    /** A value in [lo, hi] drawn by jqwik's integer generator from a fixed seed. */
    private static int pick(long seed, int lo, int hi) {
        return Arbitraries.integers().between(lo, hi).generator(1).next(new Random(seed)).value();
    }

    private static void check(NativeLibrary library, Case c) {
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
            float[] actual = runKernel(library, c, batch, x, wt, bias, res, outSize);
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

    private static float[] runKernel(NativeLibrary library, Case c, int batch, float[] x, float[] wt, float[] bias,
            float[] res, int outSize) {
        ConvWorkload w = c.w();
        NativeKernel k = new NativeKernel(library, c.kernel().name(), c.kernel().buffers().size(), 6);
        GuardedOutput out = new GuardedOutput(outSize);
        List<MemorySegment> bufs = new ArrayList<>(List.of(MemorySegment.ofArray(x), MemorySegment.ofArray(
                c.depthwise() ? DepthwiseTemplate.packWeights(w, wt) : ConvGemmTemplate.packWeights(w, wt))));
        if (w.epilogue().hasBias()) {
            bufs.add(MemorySegment.ofArray(bias));
        }
        if (w.epilogue().hasResidual()) {
            bufs.add(MemorySegment.ofArray(res));
        }
        bufs.add(out.segment());
        long range = c.depthwise() ? DepthwiseTemplate.parallelRange(batch, w)
                : ConvGemmTemplate.parallelRange(batch, c.oh(), c.ow(), c.c());
        long[] scalars = {c.h(), c.wd(), c.oh(), c.ow(), c.pt(), c.pl()};
        // Two uneven chunks, as two threads would run them.
        long mid = range / 3;
        k.invoke(bufs.toArray(MemorySegment[]::new), scalars, 0, mid);
        k.invoke(bufs.toArray(MemorySegment[]::new), scalars, mid, range);
        assertThat(out.damage()).isNull();
        return out.values();
    }

    /** The reference Conv, then the epilogue in double (on absolute values: each step's Lipschitz bound). */
    private static float[] reference(Case c, int batch, float[] x, float[] wt, float[] bias, float[] res,
            boolean magnitude) {
        ConvWorkload w = c.w();
        Node conv = Node.of("conv", "Conv", List.of("x", "w"), List.of("y"),
                Attribute.of("group", (long) w.groups()), Attribute.of("strides", (long) w.strideH(), w.strideW()),
                Attribute.of("dilations", (long) w.dilationH(), w.dilationW()),
                Attribute.of("pads", (long) c.pt(), c.pl(), c.pb(), c.pr()));
        Tensor xt = Tensor.ofFloats(new int[] {batch, w.inChannels(), c.h(), c.wd()}, x);
        Tensor wtt = Tensor.ofFloats(new int[] {w.outChannels(), w.inPerGroup(), w.kernelH(), w.kernelW()}, wt);
        Tensor y = OperatorRegistry.forNode(conv).evaluate(new EvalContext(conv, 13, Arrays.asList(xt, wtt))).get(0);
        double[] v = y.toDoubles();
        int plane = c.oh() * c.ow();
        for (int i = 0; i < v.length; i++) {
            int co = (i / plane) % w.outChannels();
            for (EpilogueStep s : w.epilogue().steps()) {
                v[i] = switch (s.kind()) {
                    case BIAS -> v[i] + bias[co];
                    case RESIDUAL -> v[i] + res[i];
                    case RELU -> magnitude ? v[i] : Math.max(v[i], 0);
                    case CLIP -> magnitude ? v[i] : Math.min(Math.max(v[i], s.a()), s.b());
                    case HARDSIGMOID -> magnitude ? s.a() * v[i] : Math.min(Math.max(s.a() * v[i] + s.b(), 0), 1);
                    case HARDSWISH -> magnitude ? 2 * v[i] + 1 : v[i] * Math.min(Math.max(v[i] / 6 + 0.5, 0), 1);
                };
            }
        }
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) v[i];
        }
        return out;
    }

    private static float[] abs(float[] a) {
        float[] o = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            o[i] = Math.abs(a[i]);
        }
        return o;
    }
}
