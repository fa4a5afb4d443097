package dev.octet.kernel;

import static dev.octet.kernel.Int8KernelHarness.firstMismatch;
import static dev.octet.kernel.Int8KernelHarness.pick;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.octet.ir.op.quant.QuantMath;
import dev.octet.kernel.loop.LoopKernel;
import dev.octet.runtime.NativeKernel;
import dev.octet.runtime.NativeLibrary;
import dev.octet.tune.ConvGeometry;
import dev.octet.tune.Int8ConvReference;
import dev.octet.verify.GuardedBytes;
import dev.octet.verify.Int8ConvWeights;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The direct NCHW4c int8 convolution is exact: over random ungrouped convolutions (channel counts that are not
 * multiples of 4 or 8, kernels 1..5, strides 1..3, dilations, asymmetric pads, image sizes across chunks) and every
 * knob configuration, every output equals the reference QLinearConv's (per-channel w_scale), for random values and
 * values at the domain's corners (x ∈ {0, 255, zp_x}, w ∈ {−128, −127, 127, ±64}), with the missing channels of
 * the last input quad holding garbage, and the work range split in two uneven parts on two threads.
 */
class Int8DirectConvTemplateTest {
    private static final int CASES = 24;
    private static final int BATCH = 2;
    /** A workload whose weights fit vpmaddubsw: its knob space holds every configuration of both variants. */
    private static final Int8ConvWorkload FIT = new Int8ConvWorkload(4, 4, 1, 1, 1, 1, 1, 1, 1, false, false, true);

    record Case(int id, Int8ConvWorkload w, int h, int wd, int pt, int pl, int pb, int pr, int zx, int zy, int lo,
            int hi, float[] mult, int[] bias, float xScale, float[] wScale, float yScale, Config c, LoopKernel kernel) {
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

    private static NativeLibrary library;
    private static List<Case> cases;

    private static synchronized NativeLibrary library() {
        if (library == null) {
            cases = new ArrayList<>();
            Random seeds = new Random(20261125);
            List<Config> configs = Int8DirectConvTemplate.knobs(FIT).all();
            for (int id = 0; cases.size() < CASES; id++) {
                long seed = seeds.nextLong();
                int kh = pick(seed, 1, 5);
                int kw = id % 4 == 3 ? pick(seed + 1, 1, 5) : kh;
                int s = pick(seed + 2, 1, 3);
                int d = kh > 1 && id % 5 == 4 ? 2 : 1;
                int h = pick(seed + 3, 1, 12);
                int wd = pick(seed + 4, 1, id % 3 == 0 ? 120 : 30);
                int pt = pick(seed + 5, 0, kh - 1);
                int pb = pick(seed + 6, 0, kh - 1);
                int pl = pick(seed + 7, 0, kw - 1);
                int pr = pick(seed + 8, 0, kw - 1);
                if (h + pt + pb < (kh - 1) * d + 1 || wd + pl + pr < (kw - 1) * d + 1) {
                    continue;
                }
                Config c = configs.get(cases.size() % configs.size());
                boolean fit = c.get("variant") == Int8ConvTemplate.MADDUBS || id % 3 == 0;
                Int8ConvWorkload w = new Int8ConvWorkload(pick(seed + 9, 1, 37), pick(seed + 10, 1, 37), 1, kh, kw, s,
                        s, d, d, false, id % 4 == 1, fit);
                Random r = new Random(seed + 11);
                int zx = new int[] {0, 255, r.nextInt(256)}[r.nextInt(3)];
                int typeLo = w.signedOutput() ? -128 : 0;
                int zy = typeLo + r.nextInt(256);
                int lo = r.nextBoolean() ? zy : typeLo;
                int hi = typeLo + 255;
                float xScale = 0.01f + r.nextFloat() / 50;
                float[] wScale = new float[w.outChannels()];
                int[] bias = new int[w.outChannels()];
                float[] mult = new float[w.outChannels()];
                double spread = Math.sqrt(w.inChannels() * kh * kw) * 60 * 60;
                float yScale = (float) (xScale / 128 * spread / (30 + r.nextInt(100)));
                for (int m = 0; m < wScale.length; m++) {
                    wScale[m] = m == 1 ? 0f : (0.5f + r.nextFloat()) / 128;
                    bias[m] = r.nextInt(8) == 0 ? Integer.MAX_VALUE - r.nextInt(1000) : r.nextInt(1 << 17) - (1 << 16);
                    mult[m] = QuantMath.multiplier(xScale, wScale[m], yScale);
                }
                cases.add(new Case(id, w, h, wd, pt, pl, pb, pr, zx, zy, lo, hi, mult, bias, xScale, wScale, yScale, c,
                        Int8DirectConvTemplate.build(w, c, "qd" + id)));
            }
            library = Int8KernelHarness.compile(cases.stream().map(Case::kernel).toList());
        }
        return library;
    }

    @TestFactory
    Stream<DynamicTest> kernelsMatchQLinearConvBitForBit() {
        NativeLibrary lib = library();
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.id() + " " + c.w().key() + " " + c.c() + " "
                + c.h() + "x" + c.wd() + " zx=" + c.zx() + " zy=" + c.zy() + " [" + c.lo() + "," + c.hi() + "]",
                () -> check(lib, c)));
    }

    @Test
    void theCasesReachEveryPath() {
        library();
        assertThat(cases).anyMatch(c -> c.w().inChannels() % 4 != 0).anyMatch(c -> c.w().outChannels() % 8 > 4)
                .anyMatch(c -> c.w().outChannels() % 8 != 0 && c.w().outChannels() % 8 <= 4)
                .anyMatch(c -> c.w().strideW() > 1).anyMatch(c -> c.w().dilationW() > 1)
                .anyMatch(c -> c.ow() > c.c().get("nc")).anyMatch(c -> c.w().signedOutput())
                .anyMatch(c -> c.w().kernelH() != c.w().kernelW())
                .anyMatch(c -> c.w().outChannels() % 16 > 8 && c.c().get("variant") == Int8ConvTemplate.MADDUBS)
                .anyMatch(c -> c.w().pairsFitMaddubs() && c.c().get("variant") == Int8ConvTemplate.WIDEN);
        assertThat(cases.stream().map(Case::c).distinct()).hasSize((int) Int8DirectConvTemplate.knobs(FIT).size());
    }

    @Test
    void groupedConvolutionsAreNotValid() {
        Int8ConvWorkload grouped = new Int8ConvWorkload(8, 8, 2, 3, 3, 1, 1, 1, 1, false, false, false);
        assertThat(Int8DirectConvTemplate.isValid(grouped)).isFalse();
        assertThatThrownBy(() -> Int8DirectConvTemplate.pack(grouped, Int8DirectConvTemplate.knobs(grouped)
                .defaults(), new byte[8 * 4 * 9], null, new float[8], 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theMaddubsVariantIsOfferedAndPackedOnlyForWeightsWhosePairsFit() {
        byte[] weights = new byte[4 * 4];
        weights[0] = 127; // input channels 0 and 1 of output channel 0: one pair, |127| + |127| > 128
        weights[1] = 127;
        Int8ConvWorkload keyed = Int8ConvWorkload.forWeights(4, 4, 1, 1, 1, 1, 1, 1, 1, false, false, weights);
        assertThat(Int8DirectConvTemplate.knobs(keyed).all())
                .allMatch(c -> c.get("variant") == Int8ConvTemplate.WIDEN);
        Config maddubs = Int8DirectConvTemplate.knobs(FIT).defaults();
        assertThat(maddubs.get("variant")).isEqualTo(Int8ConvTemplate.MADDUBS);
        assertThatThrownBy(() -> Int8DirectConvTemplate.build(keyed, maddubs, "x"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Int8DirectConvTemplate.pack(FIT, maddubs, weights, null, new float[4], 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static void check(NativeLibrary lib, Case c) throws InterruptedException {
        Int8ConvWorkload w = c.w();
        for (boolean corners : new boolean[] {false, true}) {
            Random r = new Random(c.id() * 31L + (corners ? 1 : 0));
            byte[] x = new byte[BATCH * w.inChannels() * c.h() * c.wd()];
            for (int i = 0; i < x.length; i++) {
                x[i] = (byte) (corners ? new int[] {0, 255, c.zx()}[r.nextInt(3)] : r.nextInt(256));
            }
            byte[] weights = Int8ConvWeights.random(r, w, corners);
            if (w.pairsFitMaddubs()) {
                assertThat(Int8ConvTemplate.pairsFitMaddubs(w, weights)).as("pairs drawn to fit").isTrue();
            }
            Int8DirectConvTemplate.Params p = Int8DirectConvTemplate.pack(w, c.c(), weights, c.bias(), c.mult(),
                    c.zx());
            byte[] packedX = Int8DirectConvTemplate.toNchw4c(x, BATCH, w.inChannels(), c.h(), c.wd(), (byte) 0xa7);
            long[] expected = reference(c, x, weights);
            int outQuads = Int8DirectConvTemplate.quads(w.outChannels());
            for (byte fill : GuardedBytes.FILLS) {
                GuardedBytes out = new GuardedBytes(BATCH * outQuads * 4 * c.oh() * c.ow(), fill);
                MemorySegment[] bufs = {MemorySegment.ofArray(packedX), p.weights(),
                        MemorySegment.ofArray(p.bias()), MemorySegment.ofArray(p.multiplier()), out.segment()};
                long[] scalars = Int8DirectConvTemplate.scalars(p, c.h(), c.wd(), c.oh(), c.ow(), c.pt(), c.pl(),
                        c.zy(), c.lo(), c.hi());
                Int8KernelHarness.runSplit(new NativeKernel(lib, c.kernel().name(), bufs.length, scalars.length),
                        bufs, scalars, Int8DirectConvTemplate.parallelRange(BATCH, c.oh(), c.ow(), c.c()));
                assertThat(out.damage()).isNull();
                byte[] y = Int8DirectConvTemplate.fromNchw4c(out.values(), BATCH, w.outChannels(), c.oh(), c.ow());
                assertThat(firstMismatch(y, expected, w.signedOutput())).as(corners ? "corners" : "random").isNull();
            }
        }
    }

    private static long[] reference(Case c, byte[] x, byte[] weights) {
        long[] y = Int8ConvReference.qlinearConv(c.w(), c.geometry(), x, weights, c.bias(), c.xScale(), c.zx(),
                c.wScale(), c.yScale(), c.zy());
        return Int8KernelHarness.clamp(y, c.lo(), c.hi());
    }
}
