package dev.octet.kernel;

import static dev.octet.kernel.Int8KernelHarness.pick;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.octet.ir.op.quant.QuantMath;
import dev.octet.kernel.Int8ConvTemplateTest.Case;
import dev.octet.kernel.Int8ConvTemplateTest.Quant;
import dev.octet.kernel.loop.LoopKernel;
import dev.octet.runtime.NativeKernel;
import dev.octet.runtime.NativeLibrary;
import dev.octet.verify.GuardedBytes;
import dev.octet.verify.Int8ConvWeights;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The int8 Winograd F(2×2, 3×3) template is exact: over random 3×3 stride-1 convolutions (odd channel counts, odd
 * image sizes so the last tiles are partial, pads 0–2 on each side, u8 and s8 outputs, fused clamps, biases near
 * the int32 limit, a zero-scale channel) and random knob configurations, every output byte equals the reference
 * QLinearConv's, for random values and for the corners of the domain (x ∈ {0, 255, zp_x}, w ∈ {−128, −127, 127,
 * ±64}), run on one thread and split over two. At the channel limit the worst case (every product 255·−128)
 * is still exact. Cases are drawn with jqwik's generators from a fixed seed and compiled into one library.
 */
class Int8WinogradTemplateTest {
    private static final int CASES = 36;
    private static final int BATCH = Int8ConvTemplateTest.BATCH;
    /** The largest valid channel count, at the corner of the domain. */
    private static final Int8ConvWorkload LIMIT = new Int8ConvWorkload(Int8WinogradTemplate.MAX_CHANNELS, 5, 1, 3, 3,
            1, 1, 1, 1, false, false, false);
    private static final Config LIMIT_CONFIG = Int8WinogradTemplate.knobs(LIMIT).defaults();

    private static NativeLibrary library;
    private static List<Case> cases;

    private static synchronized NativeLibrary library() {
        if (library == null) {
            List<Case> drawn = cases();
            List<LoopKernel> kernels = new ArrayList<>(drawn.stream().map(Case::kernel).toList());
            kernels.add(Int8WinogradTemplate.build(LIMIT, LIMIT_CONFIG, "wino_limit"));
            library = Int8KernelHarness.compile(kernels);
            cases = drawn;
        }
        return library;
    }

    @TestFactory
    Stream<DynamicTest> winogradMatchesQLinearConvBitForBit() {
        NativeLibrary lib = library();
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.id() + " " + c.w().key() + " " + c.c() + " "
                + c.h() + "x" + c.wd() + " pads " + c.pt() + "," + c.pl() + "," + c.pb() + "," + c.pr() + " zx="
                + c.q().zx() + " [" + c.q().lo() + "," + c.q().hi() + "]", () -> check(lib, c)));
    }

    @Test
    void theDrawnCasesReachEveryPath() {
        library();
        List<java.util.function.Predicate<Case>> paths = List.of(
                c -> c.oh() % 2 == 1 && c.ow() % 2 == 1, // partial tiles in both directions
                c -> c.w().inChannels() % 2 == 1, // an odd channel without a partner
                c -> c.w().outChannels() % 4 != 0, // a partial panel of output channels
                c -> c.w().outChannels() > c.c().get("cob"), // several channel blocks
                c -> tiles(c) > c.c().get("tiles"), // several tile blocks per image
                c -> tiles(c) % 16 != 0, // a partial micro-kernel column
                c -> c.pt() == 2 || c.pl() == 2, // a tile wholly in the padding
                c -> c.pt() + c.pl() + c.pb() + c.pr() == 0,
                c -> c.w().signedOutput(),
                c -> c.q().lo() == c.q().zy());
        for (int i = 0; i < paths.size(); i++) {
            assertThat(cases).as("path " + i).anyMatch(paths.get(i));
        }
    }

    private static int tiles(Case c) {
        return (c.oh() + 1) / 2 * ((c.ow() + 1) / 2);
    }

    @Test
    void theWorstCaseAtTheChannelLimitIsExact() throws InterruptedException {
        NativeLibrary lib = library();
        // Every product 255·(−128) (zp_x = 0): |Y| = C·9·255·128 < 2^29, 4·Y is just inside int32.
        Random r = new Random(7);
        Quant base = Int8ConvTemplateTest.quant(r, LIMIT);
        float[] wScale = new float[LIMIT.outChannels()];
        Arrays.fill(wScale, 1f);
        float yScale = 8e6f; // outputs inside u8 (about 128 ∓ 67) although |acc| is near 2^29
        Quant q = new Quant(1f, wScale, yScale, 0, 128, 0, 255, new int[] {0, 1, -1, 1 << 20, -(1 << 20)});
        Case c = new Case(-1, LIMIT, 4, 5, 1, 1, 1, 1, q, LIMIT_CONFIG, null);
        for (int sign : new int[] {-1, 1}) {
            byte[] x = new byte[BATCH * LIMIT.inChannels() * c.h() * c.wd()];
            Arrays.fill(x, (byte) 255);
            byte[] weights = new byte[LIMIT.weightCount()];
            Arrays.fill(weights, (byte) (sign < 0 ? -128 : 127));
            compare(lib, "wino_limit", c, x, weights);
        }
        assertThat(base).isNotNull();
        assertThat((long) Int8WinogradTemplate.MAX_CHANNELS * 9 * 255 * 128).isLessThan(1L << 29);
        assertThat((long) (Int8WinogradTemplate.MAX_CHANNELS + 1) * 9 * 255 * 128).isGreaterThanOrEqualTo(1L << 29);
    }

    @Test
    void validOnlyForUngroupedStrideOne3x3WithinTheChannelLimit() {
        assertThat(Int8WinogradTemplate.isValid(LIMIT)).isTrue();
        Int8ConvWorkload tooMany = new Int8ConvWorkload(Int8WinogradTemplate.MAX_CHANNELS + 1, 4, 1, 3, 3, 1, 1, 1, 1,
                false, false, false);
        assertThat(Int8WinogradTemplate.isValid(tooMany)).isFalse();
        assertThat(Implementations.int8Conv(tooMany)).noneMatch(s -> s.template().equals(Int8WinogradTemplate.NAME));
        for (Int8ConvWorkload w : List.of(
                new Int8ConvWorkload(8, 8, 2, 3, 3, 1, 1, 1, 1, false, false, false),
                new Int8ConvWorkload(8, 8, 1, 3, 3, 2, 2, 1, 1, false, false, false),
                new Int8ConvWorkload(8, 8, 1, 3, 3, 1, 1, 2, 2, false, false, false),
                new Int8ConvWorkload(8, 8, 1, 1, 1, 1, 1, 1, 1, true, false, false),
                new Int8ConvWorkload(8, 8, 1, 3, 1, 1, 1, 1, 1, false, false, false))) {
            assertThat(Int8WinogradTemplate.isValid(w)).as(w.key()).isFalse();
            assertThat(Implementations.int8Conv(w)).noneMatch(s -> s.template().equals(Int8WinogradTemplate.NAME));
        }
        List<KnobSpace> spaces = Implementations.int8Conv(LIMIT);
        assertThat(spaces.get(0).template()).isEqualTo(Int8ConvTemplate.NAME); // never the default
        assertThat(spaces).anyMatch(s -> s.template().equals(Int8WinogradTemplate.NAME));
        assertThatThrownBy(() -> Int8WinogradTemplate.build(tooMany, LIMIT_CONFIG, "x"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theScaledWeightTransformIsFourTimesTheFractionalOne() {
        // G w Gᵀ with G = [1 0 0; ½ ½ ½; ½ −½ ½; 0 0 1], in doubles, against U = G' w G'ᵀ / 4.
        double[][] g = {{1, 0, 0}, {0.5, 0.5, 0.5}, {0.5, -0.5, 0.5}, {0, 0, 1}};
        Int8ConvWorkload one = new Int8ConvWorkload(1, 1, 1, 3, 3, 1, 1, 1, 1, false, false, false);
        Random r = new Random(3);
        for (int trial = 0; trial < 50; trial++) {
            byte[] w = new byte[9];
            for (int i = 0; i < 9; i++) {
                w[i] = (byte) (trial == 0 ? -128 : r.nextInt(256) - 128);
            }
            int[] u = Int8WinogradTemplate.transformWeights(one, w);
            for (int i = 0; i < 4; i++) {
                for (int j = 0; j < 4; j++) {
                    double s = 0;
                    for (int k = 0; k < 3; k++) {
                        for (int l = 0; l < 3; l++) {
                            s += g[i][k] * w[k * 3 + l] * g[j][l];
                        }
                    }
                    assertThat(u[i * 4 + j]).isEqualTo((int) (4 * s));
                    assertThat(Math.abs(u[i * 4 + j])).isLessThanOrEqualTo(9 * 128);
                }
            }
        }
    }

    private static List<Case> cases() {
        Random seeds = new Random(20261121);
        List<Case> out = new ArrayList<>();
        for (int id = 0; out.size() < CASES; id++) {
            long seed = seeds.nextLong();
            int cin = pick(seed + 1, 1, 40);
            int cout = pick(seed + 2, 1, 80);
            int h = pick(seed + 6, 1, 19);
            int wd = pick(seed + 7, 1, 37);
            int pt = pick(seed + 8, 0, 2);
            int pb = pick(seed + 9, 0, 2);
            int pl = pick(seed + 10, 0, 2);
            int pr = pick(seed + 11, 0, 2);
            if (id % 5 == 0) {
                pt = pb = pl = pr = 0;
            }
            if (h + pt + pb < 3 || wd + pl + pr < 3) {
                continue;
            }
            Int8ConvWorkload w = new Int8ConvWorkload(cin, cout, 1, 3, 3, 1, 1, 1, 1, false, id % 4 == 1, id % 3 != 2);
            Quant q = Int8ConvTemplateTest.quant(new Random(seed + 12), w);
            List<Config> all = Int8WinogradTemplate.knobs(w).all();
            Config c = all.get(pick(seed + 13, 0, all.size() - 1));
            out.add(new Case(id, w, h, wd, pt, pl, pb, pr, q, c, Int8WinogradTemplate.build(w, c, "wino" + id)));
        }
        return out;
    }

    private static void check(NativeLibrary lib, Case c) throws InterruptedException {
        for (boolean corners : new boolean[] {false, true}) {
            Random r = new Random(c.id() * 31L + (corners ? 1 : 0));
            byte[] x = Int8ConvTemplateTest.inputs(r, BATCH * c.w().inChannels() * c.h() * c.wd(), c.q().zx(),
                    corners);
            byte[] weights = Int8ConvWeights.random(r, c.w(), corners);
            compare(lib, c.kernel().name(), c, x, weights);
        }
    }

    /** Runs the kernel on one thread and split over two, each with both output fills, against the reference. */
    private static void compare(NativeLibrary lib, String name, Case c, byte[] x, byte[] weights)
            throws InterruptedException {
        float[] mult = new float[c.w().outChannels()];
        for (int i = 0; i < mult.length; i++) {
            mult[i] = QuantMath.multiplier(c.q().xScale(), c.q().wScale()[i], c.q().yScale());
        }
        Int8ConvTemplate.Params p = Int8WinogradTemplate.pack(c.w(), c.c(), weights, c.q().bias(), mult, c.q().zx());
        long[] expected = Int8ConvTemplateTest.reference(c, x, weights);
        long[] scalars = Int8ConvTemplate.scalars(p, c.h(), c.wd(), c.oh(), c.ow(), c.pt(), c.pl(), c.q().zy(),
                c.q().lo(), c.q().hi());
        long range = Int8WinogradTemplate.parallelRange(BATCH, c.oh(), c.ow(), c.c());
        for (boolean split : new boolean[] {false, true}) {
            for (byte fill : GuardedBytes.FILLS) {
                GuardedBytes out = new GuardedBytes(BATCH * c.w().outChannels() * c.oh() * c.ow(), fill);
                MemorySegment[] bufs = {MemorySegment.ofArray(x), p.weights(), MemorySegment.ofArray(p.bias()),
                        MemorySegment.ofArray(p.multiplier()), out.segment()};
                NativeKernel k = new NativeKernel(lib, name, bufs.length, scalars.length);
                if (split) {
                    Int8KernelHarness.runSplit(k, bufs, scalars, range);
                } else {
                    k.invoke(bufs, scalars, 0, range);
                }
                assertThat(out.damage()).isNull();
                assertThat(Int8KernelHarness.firstMismatch(out.values(), expected, c.w().signedOutput()))
                        .as((split ? "two threads" : "one thread") + ", fill " + fill).isNull();
            }
        }
    }
}
