package dev.octet.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.octet.codegen.c.CCompiler;
import dev.octet.codegen.c.CPrinter;
import dev.octet.codegen.c.Headers;
import dev.octet.codegen.c.LibraryCache;
import dev.octet.ir.op.quant.QuantMath;
import dev.octet.kernel.loop.LoopKernel;
import dev.octet.runtime.NativeKernel;
import dev.octet.runtime.NativeLibrary;
import dev.octet.tune.ConvGeometry;
import dev.octet.tune.Int8ConvReference;
import dev.octet.verify.GuardedBytes;
import dev.octet.verify.Int8ConvWeights;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The int8 convolution template is exact: over random shapes (channels that are not multiples of 4, groups, kernel
 * sizes, strides, dilations, pads, image sizes), random knob configurations and both multiply variants where the
 * weights allow them, every output byte equals the reference QLinearConv's (per-channel w_scale), for random
 * values and for values at the corners of the domain (x ∈ {0, 255, zp_x}, w ∈ {−128, −127, 127, ±64}), with the
 * work range split in two uneven parts run at the same time on two threads. The cases are drawn with jqwik's generators
 * from a fixed seed and compiled into one library.
 */
class Int8ConvTemplateTest {
    private static final int CASES = IsaLevel.defaultLevel().hasAmx() ? 60 : 44;
    static final int BATCH = 2;
    /** Whether the level the tests build for ({@code -Doctet.isa}, else this CPU's best) has the VNNI variant. */
    private static final boolean VNNI = IsaLevel.defaultLevel().hasVnni();
    /** Whether it has the AMX variant (a CPU with AMX tiles that Linux grants to this process). */
    private static final boolean AMX = IsaLevel.defaultLevel().hasAmx();

    /** One drawn convolution with its run-time geometry, quantization parameters, and one kernel for it. */
    record Case(int id, Int8ConvWorkload w, int h, int wd, int pt, int pl, int pb, int pr, Quant q, Config c,
            LoopKernel kernel) {
        int oh() {
            return (h + pt + pb - ((w.kernelH() - 1) * w.dilationH() + 1)) / w.strideH() + 1;
        }

        int ow() {
            return (wd + pl + pr - ((w.kernelW() - 1) * w.dilationW() + 1)) / w.strideW() + 1;
        }
    }

    /** Scales, zero points, bias and clamp range of one case. */
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
            CCompiler cc = CCompiler.find();
            assumeTrue(cc != null, "no C compiler on this machine");
            cases = cases();
            List<LoopKernel> kernels = new ArrayList<>(cases.stream().map(Case::kernel).toList());
            kernels.addAll(Planted.kernels());
            String source = CPrinter.translationUnit(Headers.standard(), kernels);
            library = NativeLibrary.load(new LibraryCache(Path.of("target", "test-native-cache"), cc)
                    .get(source, Headers.standard()).library());
        }
        return library;
    }

    @TestFactory
    Stream<DynamicTest> kernelsMatchQLinearConvBitForBit() {
        NativeLibrary lib = library();
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.id() + " " + c.w().key() + " " + c.c() + " "
                + c.h() + "x" + c.wd() + " zx=" + c.q().zx() + " zy=" + c.q().zy() + " [" + c.q().lo() + ","
                + c.q().hi() + "]", () -> check(lib, c)));
    }

    @Test
    void theDrawnCasesReachEveryPath() {
        library();
        List<java.util.function.Predicate<Case>> paths = List.of(
                c -> c.c().get("variant") == Int8ConvTemplate.MADDUBS,
                c -> c.c().get("variant") == Int8ConvTemplate.WIDEN,
                c -> Int8ConvTemplate.groupsPerBlock(c.w(), c.c()) < c.w().reductionGroups(),
                c -> c.w().pointwise(),
                c -> c.w().kernelH() == 1 && !c.w().pointwise(),
                c -> c.w().groups() > 1 && c.w().inPerGroup() > 1,
                c -> c.w().groups() > 1 && c.w().inPerGroup() == 1,
                c -> c.w().inPerGroup() % 4 != 0,
                c -> c.w().strideW() > 1,
                c -> c.w().dilationW() > 1,
                c -> c.w().kernelH() != c.w().kernelW(),
                c -> c.pt() + c.pl() > 0,
                c -> c.w().signedOutput(),
                c -> c.q().lo() == c.q().zy(),
                c -> c.c().get("order") == 0,
                c -> c.oh() * c.ow() > c.c().get("nc"),
                c -> !VNNI || c.c().get("variant") == Int8ConvTemplate.VNNI && !c.w().pairsFitMaddubs(),
                c -> !VNNI || c.c().get("variant") == Int8ConvTemplate.VNNI
                        && Int8ConvTemplate.groupsPerBlock(c.w(), c.c()) < c.w().reductionGroups(),
                c -> !VNNI || c.c().get("variant") == Int8ConvTemplate.VNNI && c.oh() * c.ow() % 64 != 0
                        && c.oh() * c.ow() > 64,
                c -> !AMX || c.c().get("variant") == Int8ConvTemplate.AMX && !c.w().pairsFitMaddubs(),
                c -> !AMX || c.c().get("variant") == Int8ConvTemplate.AMX
                        && Int8ConvTemplate.groupsPerBlock(c.w(), c.c()) < c.w().reductionGroups(),
                c -> !AMX || c.c().get("variant") == Int8ConvTemplate.AMX
                        && c.w().reductionGroups() % Int8ConvTemplate.KQ_AMX != 0,
                c -> !AMX || c.c().get("variant") == Int8ConvTemplate.AMX && c.w().outPerGroup() > 32,
                c -> !AMX || c.c().get("variant") == Int8ConvTemplate.AMX && c.oh() * c.ow() % 32 != 0
                        && c.oh() * c.ow() > c.c().get("nc"));
        for (int i = 0; i < paths.size(); i++) {
            assertThat(cases).as("path " + i).anyMatch(paths.get(i));
        }
    }

    private static List<Case> cases() {
        Random seeds = new Random(20261122);
        List<Case> out = new ArrayList<>();
        for (int id = 0; out.size() < CASES; id++) {
            long seed = seeds.nextLong();
            int groups = id % 5 == 4 ? pick(seed, 2, 3) : 1;
            boolean depthwise = id % 6 == 5;
            int cinG = depthwise ? 1 : pick(seed + 1, 1, 40);
            int coutG = depthwise ? 1 : pick(seed + 2, 1, 40);
            if (depthwise) {
                groups = pick(seed, 2, 12);
            }
            int kh = pick(seed + 3, 1, 5);
            int kw = id % 4 == 3 ? pick(seed + 4, 1, 5) : kh;
            int s = pick(seed + 5, 1, 3);
            int d = kh > 1 && id % 7 == 0 ? 2 : 1;
            int h = pick(seed + 6, 1, 19);
            int wd = pick(seed + 7, 1, 37);
            int pt = pick(seed + 8, 0, kh - 1);
            int pb = pick(seed + 9, 0, kh - 1);
            int pl = pick(seed + 10, 0, kw - 1);
            int pr = pick(seed + 11, 0, kw - 1);
            if (h + pt + pb < (kh - 1) * d + 1 || wd + pl + pr < (kw - 1) * d + 1) {
                continue;
            }
            boolean pointwise = kh == 1 && kw == 1 && s == 1 && pt + pb + pl + pr == 0 && id % 2 == 0;
            boolean fit = id % 3 != 2;
            Int8ConvWorkload w = new Int8ConvWorkload(cinG * groups, coutG * groups, groups, kh, kw, s, s, d, d,
                    pointwise, id % 4 == 1, fit);
            Quant q = quant(new Random(seed + 12), w);
            List<Integer> variants = new ArrayList<>(fit ? List.of(Int8ConvTemplate.MADDUBS, Int8ConvTemplate.WIDEN)
                    : List.of(Int8ConvTemplate.WIDEN));
            if (VNNI) {
                variants.add(Int8ConvTemplate.VNNI); // exact for any weights: drawn with and without the pair bound
            }
            if (AMX) {
                variants.add(Int8ConvTemplate.AMX); // exact for any weights, as VNNI
            }
            for (int variant : variants) {
                List<Config> all = Int8ConvTemplate.knobs(w).all().stream()
                        .filter(c -> c.get("variant") == variant).toList();
                Config c = all.get(pick(seed + 13 + variant, 0, all.size() - 1));
                out.add(new Case(id, w, h, wd, pt, pl, pb, pr, q, c,
                        Int8ConvTemplate.build(w, c, "q" + id + "v" + variant)));
            }
        }
        if (AMX) { // reductions long enough for several AMX blocks (whole 16-group steps, then a ragged last one)
            Int8ConvWorkload wide3 = new Int8ConvWorkload(83, 37, 1, 3, 3, 1, 1, 1, 1, false, false, false);
            Int8ConvWorkload wide1 = new Int8ConvWorkload(301, 70, 1, 1, 1, 1, 1, 1, 1, true, true, false);
            int id = 1000;
            for (Int8ConvWorkload w : List.of(wide3, wide1)) {
                Config c = new Config(Int8ConvTemplate.NAME, java.util.Map.of("nc", 64, "kc", 256,
                        "variant", Int8ConvTemplate.AMX, "order", id % 2));
                int pad = w.pointwise() ? 0 : 1;
                out.add(new Case(id, w, 9, 11, pad, pad, pad, pad, quant(new Random(id), w), c,
                        Int8ConvTemplate.build(w, c, "q" + id + "amx")));
                id++;
            }
        }
        return out;
    }

    /** A value in [lo, hi] drawn by jqwik's integer generator from a fixed seed. */
    private static int pick(long seed, int lo, int hi) {
        return Arbitraries.integers().between(lo, hi).generator(1).next(new Random(seed)).value();
    }

    static Quant quant(Random r, Int8ConvWorkload w) {
        int zx = switch (r.nextInt(4)) {
            case 0 -> 0;
            case 1 -> 255;
            default -> r.nextInt(256);
        };
        long typeLo = w.signedOutput() ? -128 : 0;
        long typeHi = w.signedOutput() ? 127 : 255;
        int zy = (int) (typeLo + r.nextInt(256));
        int lo = (int) typeLo;
        int hi = (int) typeHi;
        switch (r.nextInt(3)) {
            case 0 -> lo = zy; // fused ReLU
            case 1 -> {
                lo = (int) typeLo + r.nextInt(100);
                hi = Math.max(lo, (int) typeHi - r.nextInt(100)); // fused Clip
            }
            default -> { }
        }
        float[] wScale = new float[w.outChannels()];
        boolean powersOfTwo = r.nextInt(3) == 0; // M a power of two: rne meets exact ties
        double spread = Math.sqrt(w.inPerGroup() * w.kernelH() * w.kernelW()) * 60 * 60;
        for (int m = 0; m < wScale.length; m++) {
            wScale[m] = powersOfTwo ? 0x1p-7f : (0.5f + r.nextFloat()) / 128;
        }
        if (wScale.length > 2) {
            wScale[1] = 0f; // a channel of zero scale: its output is zp_y
        }
        float xScale = powersOfTwo ? 0x1p-6f : 0.01f + r.nextFloat() / 50;
        float yScale = powersOfTwo ? (float) Math.pow(2, Math.round(Math.log(xScale / 128 * spread / 100) / Math.log(2)))
                : (float) (xScale / 128 * spread / (30 + r.nextInt(100)));
        int[] bias = new int[w.outChannels()];
        for (int m = 0; m < bias.length; m++) {
            bias[m] = r.nextInt(8) == 0 ? Integer.MAX_VALUE - r.nextInt(1000) : r.nextInt(1 << 17) - (1 << 16);
        }
        return new Quant(xScale, wScale, yScale, zx, zy, lo, hi, bias);
    }

    private static void check(NativeLibrary lib, Case c) throws InterruptedException {
        for (boolean corners : new boolean[] {false, true}) {
            Random r = new Random(c.id() * 31L + (corners ? 1 : 0));
            byte[] x = inputs(r, BATCH * c.w().inChannels() * c.h() * c.wd(), c.q().zx(), corners);
            byte[] weights = Int8ConvWeights.random(r, c.w(), corners);
            if (c.w().pairsFitMaddubs()) {
                assertThat(Int8ConvTemplate.pairsFitMaddubs(c.w(), weights)).as("pairs drawn to fit").isTrue();
            }
            Int8ConvTemplate.Params p = Int8ConvTemplate.pack(c.w(), c.c(), weights, c.q().bias(),
                    c.q().multipliers(), c.q().zx());
            long[] expected = reference(c, x, weights);
            for (byte fill : GuardedBytes.FILLS) {
                assertThat(firstMismatch(run(lib, c.kernel().name(), c, p, x, fill), expected, c.w().signedOutput()))
                        .as(corners ? "corner values" : "random values").isNull();
            }
        }
    }

    /**
     * Runs a kernel over the whole output as two threads would: two uneven parts of the work range, at the same
     * time on two threads (each with its own packing buffers); returns the output.
     */
    private static byte[] run(NativeLibrary lib, String name, Case c, Int8ConvTemplate.Params p, byte[] x,
            byte fill) throws InterruptedException {
        GuardedBytes out = new GuardedBytes(BATCH * c.w().outChannels() * c.oh() * c.ow(), fill);
        MemorySegment[] bufs = {MemorySegment.ofArray(x), p.weights(), MemorySegment.ofArray(p.bias()),
                MemorySegment.ofArray(p.multiplier()), out.segment()};
        long[] scalars = Int8ConvTemplate.scalars(p, c.h(), c.wd(), c.oh(), c.ow(), c.pt(), c.pl(), c.q().zy(),
                c.q().lo(), c.q().hi());
        NativeKernel k = new NativeKernel(lib, name, bufs.length, scalars.length);
        long range = Int8ConvTemplate.parallelRange(c.w(), BATCH, c.oh(), c.ow(), c.c());
        long mid = range / 3;
        Throwable[] failure = new Throwable[1];
        Thread first = Thread.ofPlatform().start(() -> {
            try {
                k.invoke(bufs, scalars, 0, mid);
            } catch (Throwable t) {
                failure[0] = t;
            }
        });
        k.invoke(bufs, scalars, mid, range);
        first.join();
        assertThat(failure[0]).isNull();
        assertThat(out.damage()).isNull();
        return out.values();
    }

    static byte[] inputs(Random r, int n, int zx, boolean corners) {
        byte[] x = new byte[n];
        for (int i = 0; i < n; i++) {
            x[i] = (byte) (corners ? new int[] {0, 255, zx}[r.nextInt(3)] : r.nextInt(256));
        }
        return x;
    }

    /** QLinearConv (per-channel w_scale, B) from the reference operators, clamped to the fused range. */
    static long[] reference(Case c, byte[] x, byte[] weights) {
        Quant q = c.q();
        long[] y = Int8ConvReference.qlinearConv(c.w(), new ConvGeometry(BATCH, c.h(), c.wd(), c.pt(), c.pl(), c.pb(),
                c.pr()), x, weights, q.bias(), q.xScale(), q.zx(), q.wScale(), q.yScale(), q.zy());
        for (int i = 0; i < y.length; i++) {
            y[i] = Math.clamp(y[i], q.lo(), q.hi());
        }
        return y;
    }

    private static String firstMismatch(byte[] actual, long[] expected, boolean signed) {
        for (int i = 0; i < expected.length; i++) {
            long a = signed ? actual[i] : actual[i] & 0xff;
            if (a != expected[i]) {
                return "element " + i + " is " + a + ", reference " + expected[i];
            }
        }
        return null;
    }

    /**
     * Where Linux refuses the tile state, the AMX kernels compute the same sums in scalar code over the same packed
     * operands: exact too (the library is built with OCTET_AMX_REFUSED, which makes the kernels behave so).
     */
    @Test
    void whereTheTilesAreRefusedTheAmxKernelsFallBackExactly() throws InterruptedException {
        library();
        assumeTrue(AMX, "the level the tests build for has no AMX (no CPU support or not granted by the OS)");
        List<Case> amx = cases.stream().filter(c -> c.c().get("variant") == Int8ConvTemplate.AMX)
                .filter(c -> c.w().outPerGroup() > 16 || c.id() >= 1000).toList();
        assertThat(amx).hasSizeGreaterThan(2);
        String source = "#define OCTET_AMX_REFUSED 1\n"
                + CPrinter.translationUnit(Headers.standard(), amx.stream().map(Case::kernel).toList());
        NativeLibrary refused = NativeLibrary.load(new LibraryCache(Path.of("target", "test-native-cache"),
                CCompiler.find()).get(source, Headers.standard()).library());
        for (Case c : amx) {
            check(refused, c);
        }
    }

    @Test
    void theAmxVariantIsValidOnlyAtTheAmxLevelAndIsTheDefaultThere() {
        Int8ConvWorkload w = new Int8ConvWorkload(16, 8, 1, 3, 3, 1, 1, 1, 1, false, false, false);
        assertThat(Int8ConvTemplate.knobs(w, IsaLevel.X86_64_V4_AMX).defaults().get("variant"))
                .isEqualTo(Int8ConvTemplate.AMX);
        assertThat(Int8ConvTemplate.knobs(w, IsaLevel.X86_64_V4_AMX).all())
                .anyMatch(c -> c.get("variant") == Int8ConvTemplate.VNNI);
        for (IsaLevel level : List.of(IsaLevel.X86_64_V3, IsaLevel.X86_64_V4_VNNI)) {
            assertThat(Int8ConvTemplate.knobs(w, level).all()).noneMatch(c -> c.get("variant") == Int8ConvTemplate.AMX);
            assertThat(Int8ConvTemplate.isValid(w, Planted.AMX, level)).isFalse();
            assertThatThrownBy(() -> Int8ConvTemplate.build(w, Planted.AMX, "x", level))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(level.id());
        }
        // whole 16-group tile steps per block (3×3: 16 quads = 144 groups), the last block ragged
        Config small = new Config(Int8ConvTemplate.NAME, java.util.Map.of("nc", 64, "kc", 256,
                "variant", Int8ConvTemplate.AMX, "order", 1));
        Int8ConvWorkload deep = new Int8ConvWorkload(128, 8, 1, 3, 3, 1, 1, 1, 1, false, false, false);
        assertThat(Int8ConvTemplate.groupsPerBlock(deep, small)).isEqualTo(144);
        assertThat(Int8ConvTemplate.groupsPerBlock(w, small)).isEqualTo(w.reductionGroups());
    }

    @Test
    void theVnniVariantIsValidOnlyAtALevelWithVnniAndIsTheDefaultThere() {
        Int8ConvWorkload w = new Int8ConvWorkload(16, 8, 1, 3, 3, 1, 1, 1, 1, false, false, true);
        assertThat(Int8ConvTemplate.knobs(w, IsaLevel.X86_64_V4_VNNI).defaults().get("variant"))
                .isEqualTo(Int8ConvTemplate.VNNI);
        assertThat(Int8ConvTemplate.knobs(w, IsaLevel.X86_64_V3).all())
                .noneMatch(c -> c.get("variant") == Int8ConvTemplate.VNNI);
        assertThat(Int8ConvTemplate.knobs(w, IsaLevel.X86_64_V3).defaults().get("variant"))
                .isEqualTo(Int8ConvTemplate.MADDUBS);
        assertThat(Int8ConvTemplate.isValid(w, Planted.VNNI, IsaLevel.X86_64_V3)).isFalse();
        assertThat(Int8ConvTemplate.isValid(w.withPairsFitMaddubs(false), Planted.VNNI, IsaLevel.X86_64_V4_VNNI))
                .isTrue();
        assertThatThrownBy(() -> Int8ConvTemplate.build(w, Planted.VNNI, "x", IsaLevel.X86_64_V3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("x86-64-v3");
    }

    @Test
    void thePairPredicateIsTheSaturationBoundOfVpmaddubsw() {
        Int8ConvWorkload pair = new Int8ConvWorkload(2, 1, 1, 1, 1, 1, 1, 1, 1, false, false, false);
        assertThat(Int8ConvTemplate.pairsFitMaddubs(pair, new byte[] {-128, 0})).isTrue();
        assertThat(Int8ConvTemplate.pairsFitMaddubs(pair, new byte[] {127, -1})).isTrue();
        assertThat(Int8ConvTemplate.pairsFitMaddubs(pair, new byte[] {64, -64})).isTrue();
        assertThat(Int8ConvTemplate.pairsFitMaddubs(pair, new byte[] {-128, 1})).isFalse();
        assertThat(Int8ConvTemplate.pairsFitMaddubs(pair, new byte[] {64, 65})).isFalse();
        // Channels 1 and 2 are not a pair (pairs are channels 2i, 2i+1 at one kernel position).
        Int8ConvWorkload three = new Int8ConvWorkload(3, 1, 1, 1, 1, 1, 1, 1, 1, false, false, false);
        assertThat(Int8ConvTemplate.pairsFitMaddubs(three, new byte[] {0, 127, 127})).isTrue();
        assertThat(Int8ConvTemplate.pairsFitMaddubs(three, new byte[] {127, 127, 0})).isFalse();
    }

    @Test
    void weightsWhosePairsDoNotFitAreRejectedAndWouldGiveAWrongAnswer() throws InterruptedException {
        NativeLibrary lib = library();
        Planted p = new Planted();
        Int8ConvWorkload keyed = Int8ConvWorkload.forWeights(8, 4, 1, 3, 3, 1, 1, 1, 1, false, false, p.weights);
        assertThat(keyed.pairsFitMaddubs()).isFalse();
        assertThat(keyed.key()).doesNotContain("pairs128");
        assertThat(Int8ConvTemplate.knobs(keyed).all()).allMatch(c -> c.get("variant") == Int8ConvTemplate.WIDEN
                || c.get("variant") == Int8ConvTemplate.VNNI && VNNI
                || c.get("variant") == Int8ConvTemplate.AMX && AMX);
        assertThatThrownBy(() -> Int8ConvTemplate.build(keyed, Planted.MADDUBS, "x"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Int8ConvTemplate.pack(Planted.FORCED, Planted.MADDUBS, p.weights, p.quant.bias(),
                p.quant.multipliers(), p.quant.zx())).isInstanceOf(IllegalArgumentException.class);

        Case widen = p.asCase(Planted.WIDEN);
        long[] expected = reference(widen, p.x, p.weights);
        assertThat(firstMismatch(run(lib, "planted_widen", widen, Int8ConvTemplate.pack(keyed, Planted.WIDEN,
                p.weights, p.quant.bias(), p.quant.multipliers(), p.quant.zx()), p.x, (byte) 0), expected, false))
                .isNull();
        if (VNNI) { // vpdpbusd has no intermediate int16: the same weights are exact
            Case vnni = p.asCase(Planted.VNNI);
            assertThat(Int8ConvTemplate.knobs(keyed).defaults().get("variant"))
                    .isEqualTo(AMX ? Int8ConvTemplate.AMX : Int8ConvTemplate.VNNI);
            assertThat(firstMismatch(run(lib, "planted_vnni", vnni, Int8ConvTemplate.pack(keyed, Planted.VNNI,
                    p.weights, p.quant.bias(), p.quant.multipliers(), p.quant.zx()), p.x, (byte) 0), expected, false))
                    .isNull();
        }
        if (AMX) { // TDPBSUD neither: four products per int32 lane, no int16 in between
            Case amx = p.asCase(Planted.AMX);
            assertThat(firstMismatch(run(lib, "planted_amx", amx, Int8ConvTemplate.pack(keyed, Planted.AMX,
                    p.weights, p.quant.bias(), p.quant.multipliers(), p.quant.zx()), p.x, (byte) 0), expected, false))
                    .isNull();
        }
        // Past the predicate, vpmaddubsw saturates 255·127 + 255·127 to 32767: the answer is wrong.
        Case maddubs = p.asCase(Planted.MADDUBS);
        assertThat(firstMismatch(run(lib, "planted_maddubs", maddubs, Int8ConvTemplate.packUnchecked(
                Planted.FORCED, Planted.MADDUBS, p.weights, p.quant.bias(), p.quant.multipliers(), p.quant.zx()),
                p.x, (byte) 0), expected, false)).isNotNull();
    }

    /**
     * A 3×3 convolution of an all-255 image whose weights hold one pair (127, 127): its true output is zp_y, and a
     * saturating int16 sum moves it by 32003·M.
     */
    static final class Planted {
        static final Config MADDUBS = new Config(Int8ConvTemplate.NAME, java.util.Map.of("nc", 64, "kc", 2048,
                "variant", Int8ConvTemplate.MADDUBS, "order", 1));
        static final Config WIDEN = new Config(Int8ConvTemplate.NAME, java.util.Map.of("nc", 64, "kc", 2048,
                "variant", Int8ConvTemplate.WIDEN, "order", 1));
        static final Config VNNI = new Config(Int8ConvTemplate.NAME, java.util.Map.of("nc", 64, "kc", 2048,
                "variant", Int8ConvTemplate.VNNI, "order", 1));
        static final Config AMX = new Config(Int8ConvTemplate.NAME, java.util.Map.of("nc", 64, "kc", 2048,
                "variant", Int8ConvTemplate.AMX, "order", 1));
        /** The shape, claiming the pair property the weights do not have. */
        static final Int8ConvWorkload FORCED = new Int8ConvWorkload(8, 4, 1, 3, 3, 1, 1, 1, 1, false, false, true);
        final byte[] weights = new byte[4 * 8 * 9];
        final byte[] x = new byte[BATCH * 8 * 6 * 6];
        final Quant quant;

        Planted() {
            java.util.Arrays.fill(x, (byte) 255);
            weights[4] = 127; // channel 0, centre
            weights[9 + 4] = 127; // channel 1, centre
            int[] bias = {-(255 - 3) * 254, 0, 0, 0};
            quant = new Quant(0.02f, new float[] {0.01f, 0.01f, 0.01f, 0.01f}, 0.02f, 3, 128, 0, 255, bias);
        }

        static List<LoopKernel> kernels() {
            List<LoopKernel> out = new ArrayList<>(List.of(Int8ConvTemplate.build(FORCED, MADDUBS, "planted_maddubs"),
                    Int8ConvTemplate.build(FORCED.withPairsFitMaddubs(false), WIDEN, "planted_widen")));
            if (Int8ConvTemplateTest.VNNI) {
                out.add(Int8ConvTemplate.build(FORCED.withPairsFitMaddubs(false), VNNI, "planted_vnni"));
            }
            if (Int8ConvTemplateTest.AMX) {
                out.add(Int8ConvTemplate.build(FORCED.withPairsFitMaddubs(false), AMX, "planted_amx"));
            }
            return out;
        }

        Case asCase(Config c) {
            return new Case(-1, FORCED, 6, 6, 1, 1, 1, 1, quant, c, null);
        }
    }
}
