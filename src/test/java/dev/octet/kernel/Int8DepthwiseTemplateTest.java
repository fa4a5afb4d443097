package dev.octet.kernel;

import static dev.octet.kernel.Int8KernelHarness.firstMismatch;
import static dev.octet.kernel.Int8KernelHarness.pick;
import static dev.octet.verify.Int8ConvWeights.CORNER_WEIGHTS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.octet.ir.op.quant.QuantMath;
import dev.octet.kernel.loop.LoopKernel;
import dev.octet.runtime.NativeKernel;
import dev.octet.runtime.NativeLibrary;
import dev.octet.tune.ConvGeometry;
import dev.octet.tune.Int8ConvReference;
import dev.octet.verify.GuardedBytes;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The int8 depthwise template is exact: for every knob configuration, on a random depthwise convolution drawn for
 * it (channels, kernel 1..5 square or not, strides 1..3, dilations, asymmetric pads, image sizes from 1 up to
 * several column chunks), every output byte equals the reference QLinearConv's with group = C (per-channel
 * w_scale), for random values and for values at the corners of the domain (x ∈ {0, 255, zp_x},
 * w ∈ {−128, −127, 127, ±64}), with the work range split in two uneven parts run at the same time on two threads.
 */
class Int8DepthwiseTemplateTest {
    private static final int BATCH = 2;

    record Case(int id, Int8DepthwiseWorkload w, int h, int wd, int pt, int pl, int pb, int pr, Quant q, Config c,
            LoopKernel kernel) {
        /** The run's sizes and pads, as the tuner measures a convolution at. */
        ConvGeometry geometry() {
            return new ConvGeometry(BATCH, h, wd, pt, pl, pb, pr);
        }

        int oh() {
            return geometry().oh(w.kernelH(), w.strideH(), w.dilationH());
        }

        int ow() {
            return geometry().ow(w.kernelW(), w.strideW(), w.dilationW());
        }
    }

    record Quant(float xScale, float[] wScale, float yScale, int zx, int zy, int lo, int hi, int[] bias) {
        float[] multipliers() {
            float[] m = new float[wScale.length];
            for (int i = 0; i < m.length; i++) {
                m[i] = QuantMath.multiplier(xScale, wScale[i], yScale);
            }
            return m;
        }
    }

    private static NativeLibrary library;
    private static List<Case> cases;

    private static synchronized NativeLibrary library() {
        if (library == null) {
            cases = cases();
            library = Int8KernelHarness.compile(cases.stream().map(Case::kernel).toList());
        }
        return library;
    }

    @TestFactory
    Stream<DynamicTest> kernelsMatchQLinearConvBitForBit() {
        NativeLibrary lib = library();
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.id() + " " + c.w().key() + " " + c.c() + " "
                + c.h() + "x" + c.wd() + " pads " + c.pt() + "," + c.pl() + "," + c.pb() + "," + c.pr() + " zx="
                + c.q().zx() + " zy=" + c.q().zy() + " [" + c.q().lo() + "," + c.q().hi() + "]", () -> check(lib, c)));
    }

    @Test
    void everyConfigurationIsDrawnAndTheCasesReachEveryPath() {
        library();
        Set<Config> drawn = new HashSet<>();
        cases.forEach(c -> drawn.add(c.c()));
        assertThat(drawn).hasSize(cases.size());
        List<Predicate<Case>> paths = List.of(
                c -> c.w().kernelH() == 3 && c.w().kernelW() == 3,
                c -> c.w().kernelH() == 5 && c.w().kernelW() == 5,
                c -> c.w().kernelH() != c.w().kernelW(),
                c -> c.w().strideW() == 1, c -> c.w().strideW() == 2, c -> c.w().strideW() == 3,
                c -> c.w().dilationW() > 1,
                c -> c.pt() + c.pl() > 0, c -> c.pb() + c.pr() > 0,
                c -> c.w().signedOutput(),
                c -> c.q().lo() == c.q().zy(),
                c -> c.ow() > c.c().get("cols"),
                c -> c.oh() % c.c().get("rows") != 0,
                c -> c.wd() >= 40 && c.w().strideW() <= 2);
        for (int i = 0; i < paths.size(); i++) {
            assertThat(cases).as("path " + i).anyMatch(paths.get(i));
        }
    }

    @Test
    void packingRejectsBadConstants() {
        Int8DepthwiseWorkload w = new Int8DepthwiseWorkload(2, 3, 3, 1, 1, 1, 1, false);
        byte[] weights = new byte[18];
        assertThatThrownBy(() -> Int8DepthwiseTemplate.pack(w, new byte[17], null, new float[2], 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Int8DepthwiseTemplate.pack(w, weights, null, new float[] {1, Float.NaN}, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Int8DepthwiseTemplate.pack(w, weights, null, new float[2], 256))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static List<Case> cases() {
        Random seeds = new Random(20261123);
        List<Config> configs = Int8DepthwiseTemplate.knobs(new Int8DepthwiseWorkload(1, 3, 3, 1, 1, 1, 1, false))
                .all();
        List<Case> out = new ArrayList<>();
        for (int id = 0; out.size() < configs.size(); id++) {
            long seed = seeds.nextLong();
            int kh = switch (id % 4) {
                case 0, 1 -> 3;
                case 2 -> 5;
                default -> pick(seed + 3, 1, 5);
            };
            int kw = id % 7 == 6 ? pick(seed + 4, 1, 5) : kh;
            int s = id % 9 == 8 ? 3 : pick(seed + 5, 1, 2);
            int d = kh > 1 && id % 5 == 4 ? 2 : 1;
            boolean wide = id % 6 == 1;
            int h = pick(seed + 6, 1, wide ? 6 : 21);
            int wd = wide ? pick(seed + 7, 130, 560) : pick(seed + 7, 1, 70);
            int pt = pick(seed + 8, 0, kh - 1);
            int pb = pick(seed + 9, 0, kh - 1);
            int pl = pick(seed + 10, 0, kw - 1);
            int pr = pick(seed + 11, 0, kw - 1);
            if (h + pt + pb < (kh - 1) * d + 1 || wd + pl + pr < (kw - 1) * d + 1) {
                continue;
            }
            int channels = pick(seed + 1, 1, wide ? 5 : 19);
            Int8DepthwiseWorkload w = new Int8DepthwiseWorkload(channels, kh, kw, s, s, d, d, id % 4 == 1);
            Config c = configs.get(out.size());
            out.add(new Case(id, w, h, wd, pt, pl, pb, pr, quant(new Random(seed + 12), w), c,
                    Int8DepthwiseTemplate.build(w, c, "dw" + id)));
        }
        return out;
    }

    private static Quant quant(Random r, Int8DepthwiseWorkload w) {
        int zx = switch (r.nextInt(4)) {
            case 0 -> 0;
            case 1 -> 255;
            default -> r.nextInt(256);
        };
        int typeLo = w.signedOutput() ? -128 : 0;
        int typeHi = w.signedOutput() ? 127 : 255;
        int zy = typeLo + r.nextInt(256);
        int lo = typeLo;
        int hi = typeHi;
        switch (r.nextInt(3)) {
            case 0 -> lo = zy; // fused ReLU
            case 1 -> {
                lo = typeLo + r.nextInt(100);
                hi = Math.max(lo, typeHi - r.nextInt(100)); // fused Clip
            }
            default -> { }
        }
        boolean powersOfTwo = r.nextInt(3) == 0; // M a power of two: rne meets exact ties
        double spread = Math.sqrt(w.kernelH() * w.kernelW()) * 60 * 60;
        float[] wScale = new float[w.channels()];
        for (int m = 0; m < wScale.length; m++) {
            wScale[m] = powersOfTwo ? 0x1p-7f : (0.5f + r.nextFloat()) / 128;
        }
        if (wScale.length > 2) {
            wScale[1] = 0f; // a channel of zero scale: its output is zp_y
        }
        float xScale = powersOfTwo ? 0x1p-6f : 0.01f + r.nextFloat() / 50;
        float yScale = powersOfTwo ? (float) Math.pow(2, Math.round(Math.log(xScale / 128 * spread / 100) / Math.log(2)))
                : (float) (xScale / 128 * spread / (30 + r.nextInt(100)));
        int[] bias = new int[w.channels()];
        for (int m = 0; m < bias.length; m++) {
            bias[m] = r.nextInt(8) == 0 ? Integer.MAX_VALUE - r.nextInt(1000) : r.nextInt(1 << 15) - (1 << 14);
        }
        return new Quant(xScale, wScale, yScale, zx, zy, lo, hi, bias);
    }

    private static void check(NativeLibrary lib, Case c) throws InterruptedException {
        for (boolean corners : new boolean[] {false, true}) {
            Random r = new Random(c.id() * 31L + (corners ? 1 : 0));
            byte[] x = new byte[BATCH * c.w().channels() * c.h() * c.wd()];
            for (int i = 0; i < x.length; i++) {
                x[i] = (byte) (corners ? new int[] {0, 255, c.q().zx()}[r.nextInt(3)] : r.nextInt(256));
            }
            byte[] weights = new byte[c.w().weightCount()];
            for (int i = 0; i < weights.length; i++) {
                weights[i] = (byte) (corners ? CORNER_WEIGHTS[r.nextInt(CORNER_WEIGHTS.length)] : r.nextInt(256) - 128);
            }
            Int8DepthwiseTemplate.Params p = Int8DepthwiseTemplate.pack(c.w(), weights, c.q().bias(),
                    c.q().multipliers(), c.q().zx());
            long[] expected = reference(c, x, weights);
            for (byte fill : GuardedBytes.FILLS) {
                GuardedBytes out = new GuardedBytes(BATCH * c.w().channels() * c.oh() * c.ow(), fill);
                MemorySegment[] bufs = {MemorySegment.ofArray(x), MemorySegment.ofArray(p.weights()),
                        MemorySegment.ofArray(p.bias()), MemorySegment.ofArray(p.multiplier()), out.segment()};
                long[] scalars = Int8DepthwiseTemplate.scalars(p, c.h(), c.wd(), c.oh(), c.ow(), c.pt(), c.pl(),
                        c.q().zy(), c.q().lo(), c.q().hi());
                NativeKernel k = new NativeKernel(lib, c.kernel().name(), bufs.length, scalars.length);
                Int8KernelHarness.runSplit(k, bufs, scalars,
                        Int8DepthwiseTemplate.parallelRange(BATCH, c.w(), c.oh(), c.c()));
                assertThat(out.damage()).isNull();
                assertThat(firstMismatch(out.values(), expected, c.w().signedOutput()))
                        .as(corners ? "corner values" : "random values").isNull();
            }
        }
    }

    /** QLinearConv with group = C (per-channel w_scale, B) from the reference operators, clamped to [lo, hi]. */
    static long[] reference(Case c, byte[] x, byte[] weights) {
        Int8DepthwiseWorkload w = c.w();
        Quant q = c.q();
        Int8ConvWorkload conv = new Int8ConvWorkload(w.channels(), w.channels(), w.channels(), w.kernelH(),
                w.kernelW(), w.strideH(), w.strideW(), w.dilationH(), w.dilationW(), false, w.signedOutput(), false);
        long[] y = Int8ConvReference.qlinearConv(conv, c.geometry(), x, weights, q.bias(), q.xScale(), q.zx(),
                q.wScale(), q.yScale(), q.zy());
        return Int8KernelHarness.clamp(y, q.lo(), q.hi());
    }
}
