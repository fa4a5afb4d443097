package dev.octet.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.octet.ir.Attribute;
import dev.octet.ir.DataType;
import dev.octet.ir.Node;
import dev.octet.ir.Tensor;
import dev.octet.ir.op.EvalContext;
import dev.octet.ir.op.OperatorRegistry;
import dev.octet.kernel.loop.LoopKernel;
import dev.octet.runtime.NativeKernel;
import dev.octet.runtime.NativeLibrary;
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
 * The residual stage of the int8 GEMM template (octet.QLinearConvAdd) is exact: for shapes drawn by jqwik's
 * generators from a fixed seed (a bounded number, compiled into one library), every variant this machine has
 * (maddubs where the weights fit, widen, VNNI, AMX), the work range split over 1, 2 and 4 threads at once, every
 * output byte equals the reference operator's, with random values and corner values (x, residual ∈ {0, 255, zp}),
 * add multipliers that are powers of two (sums that end in .5 and must round to even) and random ones, the
 * convolution's own value u8 or s8, u8 and s8 outputs, with and without a ReLU after the add. The other templates are not candidates for such a workload.
 */
class Int8ConvResidualTest {
    private static final int SHAPES = 14;
    private static final int BATCH = 2;

    /** The add's side of one case: how it reads the convolution, the residual, its output and clamp. */
    record Add(boolean convSigned, float aScale, int za, float rScale, int zr, float cScale, int zc, int lo, int hi) {
    }

    record Case(int id, Int8ConvWorkload w, int h, int wd, int pad, Int8ConvTemplateTest.Quant q, Add add, Config c,
            LoopKernel kernel) {
        int oh() {
            return (h + 2 * pad - ((w.kernelH() - 1) * w.dilationH() + 1)) / w.strideH() + 1;
        }

        int ow() {
            return (wd + 2 * pad - ((w.kernelW() - 1) * w.dilationW() + 1)) / w.strideW() + 1;
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
    Stream<DynamicTest> residualKernelsMatchTheReferenceBitForBit() {
        NativeLibrary lib = library();
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.id() + " " + c.w().key() + " " + c.c() + " "
                + c.h() + "x" + c.wd() + " " + c.add(), () -> check(lib, c)));
    }

    @Test
    void onlyTheGemmTemplateIsACandidateForAResidualWorkload() {
        library();
        Int8ConvWorkload w3 = new Int8ConvWorkload(16, 16, 1, 3, 3, 1, 1, 1, 1, false, false, true, true);
        Int8ConvWorkload dw = new Int8ConvWorkload(16, 16, 16, 3, 3, 1, 1, 1, 1, false, false, true, true);
        for (Int8ConvWorkload w : List.of(w3, dw)) {
            assertThat(Implementations.int8Conv(w)).extracting(KnobSpace::template)
                    .containsExactly(Int8ConvTemplate.NAME);
            assertThat(w.key()).endsWith(",res]").isNotEqualTo(w.withResidual(false).key());
        }
        assertThat(Implementations.int8Conv(w3.withResidual(false))).hasSizeGreaterThan(1); // direct, Winograd
        assertThat(Implementations.int8Conv(dw.withResidual(false))).extracting(KnobSpace::template)
                .contains(Int8DepthwiseTemplate.NAME);
        assertThat(cases).anyMatch(c -> c.add().lo() > (c.w().signedOutput() ? -128 : 0))
                .anyMatch(c -> c.w().signedOutput()).anyMatch(c -> c.add().convSigned())
                .anyMatch(c -> c.oh() * c.ow() > c.c().get("nc"));
    }

    private static List<Case> cases() {
        Random seeds = new Random(20261121);
        List<Case> out = new ArrayList<>();
        List<Integer> variants = new ArrayList<>(List.of(Int8ConvTemplate.MADDUBS, Int8ConvTemplate.WIDEN));
        IsaLevel level = IsaLevel.defaultLevel();
        if (level.hasVnni()) {
            variants.add(Int8ConvTemplate.VNNI);
        }
        if (level.hasAmx()) {
            variants.add(Int8ConvTemplate.AMX);
        }
        for (int id = 0; id < SHAPES; id++) {
            long seed = seeds.nextLong();
            int cin = Int8KernelHarness.pick(seed, 1, 70);
            int cout = Int8KernelHarness.pick(seed + 1, 1, 70);
            int k = new int[] {1, 3, 1}[id % 3];
            int s = id % 5 == 4 ? 2 : 1;
            int pad = k == 3 ? 1 : 0;
            boolean pointwise = k == 1 && s == 1;
            int h = Int8KernelHarness.pick(seed + 2, 1, 17);
            int wd = Int8KernelHarness.pick(seed + 3, 1, 29);
            boolean signed = id % 4 == 3;
            Int8ConvWorkload w = new Int8ConvWorkload(cin, cout, 1, k, k, s, s, 1, 1, pointwise, signed, id % 2 == 0,
                    true);
            Random r = new Random(seed + 4);
            // the convolution's own requantization to u8 or s8 (its clamp within that type); the add's output too
            boolean convSigned = id % 3 == 1;
            Int8ConvTemplateTest.Quant q = Int8ConvTemplateTest.quant(r,
                    new Int8ConvWorkload(cin, cout, 1, k, k, s, s, 1, 1, pointwise, convSigned, false));
            Add add = add(r, signed, convSigned, q.zy());
            for (int variant : variants) {
                if (variant == Int8ConvTemplate.MADDUBS && !w.pairsFitMaddubs()) {
                    continue;
                }
                List<Config> all = Int8ConvTemplate.knobs(w, level).all().stream()
                        .filter(c -> c.get("variant") == variant).toList();
                Config c = all.get(Int8KernelHarness.pick(seed + 5 + variant, 0, all.size() - 1));
                out.add(new Case(id, w, h, wd, pad, q, add, c, Int8ConvTemplate.build(w, c, "r" + id + "v" + variant,
                        level)));
            }
        }
        return out;
    }

    /** The add's parameters: the convolution's value read at its own zero point or another, ties or random M. */
    private static Add add(Random r, boolean signed, boolean convSigned, int zy) {
        boolean ties = r.nextBoolean();
        float sa = ties ? 0x1p-5f : 0.01f + r.nextFloat() / 20;
        float sr = ties ? 0x1p-6f : 0.01f + r.nextFloat() / 20;
        float sc = ties ? 0x1p-4f : 0.02f + r.nextFloat() / 20; // M_a = 1/2, M_r = 1/4: sums end in .5, .25, .75
        int za = r.nextBoolean() ? zy : r.nextInt(256) - (convSigned ? 128 : 0);
        int zr = new int[] {0, 255, r.nextInt(256)}[r.nextInt(3)];
        int typeLo = signed ? -128 : 0;
        int zc = typeLo + r.nextInt(256);
        boolean relu = r.nextBoolean();
        return new Add(convSigned, sa, za, sr, zr, sc, zc, relu ? zc : typeLo, typeLo + 255);
    }

    private static void check(NativeLibrary lib, Case c) throws InterruptedException {
        for (boolean corners : new boolean[] {false, true}) {
            Random r = new Random(c.id() * 31L + (corners ? 1 : 0));
            byte[] x = Int8ConvTemplateTest.inputs(r, BATCH * c.w().inChannels() * c.h() * c.wd(), c.q().zx(),
                    corners);
            byte[] res = Int8ConvTemplateTest.inputs(r, BATCH * c.w().outChannels() * c.oh() * c.ow(), c.add().zr(),
                    corners);
            byte[] weights = Int8ConvWeights.random(r, c.w(), corners);
            Int8ConvTemplate.Params p = Int8ConvTemplate.pack(c.w(), c.c(), weights, c.q().bias(),
                    c.q().multipliers(), c.q().zx());
            long[] expected = reference(c, x, weights, res);
            for (int threads : new int[] {1, 2, 4}) {
                byte[] y = run(lib, c, p, x, res, threads, GuardedBytes.FILLS[threads % GuardedBytes.FILLS.length]);
                assertThat(Int8KernelHarness.firstMismatch(y, expected, c.w().signedOutput()))
                        .as((corners ? "corner values" : "random values") + ", " + threads + " threads").isNull();
            }
        }
    }

    /** Runs the kernel with its work range cut in {@code threads} uneven parts, all at the same time. */
    private static byte[] run(NativeLibrary lib, Case c, Int8ConvTemplate.Params p, byte[] x, byte[] res,
            int threads, byte fill) throws InterruptedException {
        GuardedBytes out = new GuardedBytes(res.length, fill);
        Add a = c.add();
        MemorySegment[] bufs = {MemorySegment.ofArray(x), p.weights(), MemorySegment.ofArray(p.bias()),
                MemorySegment.ofArray(p.multiplier()), out.segment(), MemorySegment.ofArray(res),
                MemorySegment.ofArray(Int8ConvTemplate.residualMultipliers(a.aScale(), a.rScale(), a.cScale()))};
        long[] scalars = Int8ConvTemplate.residualScalars(Int8ConvTemplate.scalars(p, c.h(), c.wd(), c.oh(), c.ow(),
                c.pad(), c.pad(), c.q().zy(), c.q().lo(), c.q().hi()), a.za(), a.zr(), a.zc(), a.lo(), a.hi());
        NativeKernel k = new NativeKernel(lib, c.kernel().name(), bufs.length, scalars.length);
        long range = Int8ConvTemplate.parallelRange(c.w(), BATCH, c.oh(), c.ow(), c.c());
        List<Thread> started = new ArrayList<>();
        Throwable[] failure = new Throwable[1];
        for (int t = 0; t < threads; t++) {
            long begin = range * t * t / (threads * threads); // uneven parts
            long end = range * (t + 1) * (t + 1) / (threads * threads);
            started.add(Thread.ofPlatform().start(() -> {
                try {
                    k.invoke(bufs, scalars, begin, end);
                } catch (Throwable e) {
                    failure[0] = e;
                }
            }));
        }
        for (Thread t : started) {
            t.join();
        }
        assertThat(failure[0]).isNull();
        assertThat(out.damage()).isNull();
        return out.values();
    }

    /** octet.QLinearConvAdd's reference (per-channel w_scale, bias, the convolution's clamp, the add's). */
    private static long[] reference(Case c, byte[] x, byte[] weights, byte[] res) {
        Int8ConvWorkload w = c.w();
        Int8ConvTemplateTest.Quant q = c.q();
        Add a = c.add();
        Node node = Node.of("qconvadd", "QLinearConvAdd", List.of("x", "xs", "xz", "w", "ws", "wz", "ys", "yz", "b",
                "as", "az", "r", "rs", "rz", "cs", "cz"), List.of("y"), Attribute.of("group", 1L),
                Attribute.of("strides", (long) w.strideH(), w.strideW()),
                Attribute.of("pads", (long) c.pad(), c.pad(), c.pad(), c.pad()),
                Attribute.of("clamp", (long) q.lo(), q.hi()), Attribute.of("add_clamp", (long) a.lo(), a.hi()));
        node = new Node(node.name(), node.opType(), "octet", node.inputs(), node.outputs(), node.attributes());
        long[] bv = new long[q.bias().length];
        for (int i = 0; i < bv.length; i++) {
            bv[i] = q.bias()[i];
        }
        long[] wv = Int8KernelHarness.widen(weights, true);
        DataType ct = w.signedOutput() ? DataType.INT8 : DataType.UINT8;
        DataType yt = a.convSigned() ? DataType.INT8 : DataType.UINT8;
        List<Tensor> inputs = List.of(
                Tensor.of(DataType.UINT8, new int[] {BATCH, w.inChannels(), c.h(), c.wd()},
                        Int8KernelHarness.widen(x, false)),
                Tensor.ofFloats(new int[0], q.xScale()),
                Tensor.of(DataType.UINT8, new int[0], new long[] {q.zx()}),
                Tensor.of(DataType.INT8, new int[] {w.outChannels(), w.inChannels(), w.kernelH(), w.kernelW()}, wv),
                Tensor.ofFloats(new int[] {w.outChannels()}, q.wScale()),
                Tensor.of(DataType.INT8, new int[0], new long[] {0}),
                Tensor.ofFloats(new int[0], q.yScale()),
                Tensor.of(yt, new int[0], new long[] {q.zy()}),
                Tensor.of(DataType.INT32, new int[] {w.outChannels()}, bv),
                Tensor.ofFloats(new int[0], a.aScale()),
                Tensor.of(yt, new int[0], new long[] {a.za()}),
                Tensor.of(DataType.UINT8, new int[] {BATCH, w.outChannels(), c.oh(), c.ow()},
                        Int8KernelHarness.widen(res, false)),
                Tensor.ofFloats(new int[0], a.rScale()),
                Tensor.of(DataType.UINT8, new int[0], new long[] {a.zr()}),
                Tensor.ofFloats(new int[0], a.cScale()),
                Tensor.of(ct, new int[0], new long[] {a.zc()}));
        return OperatorRegistry.forNode(node).evaluate(new EvalContext(node, 1, inputs)).get(0).longs();
    }

}
