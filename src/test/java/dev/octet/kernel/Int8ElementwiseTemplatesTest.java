package dev.octet.kernel;

import static dev.octet.kernel.Int8KernelHarness.firstMismatch;
import static dev.octet.kernel.Int8KernelHarness.pick;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.octet.ir.DataType;
import dev.octet.ir.Node;
import dev.octet.ir.Tensor;
import dev.octet.ir.op.EvalContext;
import dev.octet.ir.op.OperatorRegistry;
import dev.octet.ir.op.quant.QuantMath;
import dev.octet.kernel.loop.LoopKernel;
import dev.octet.runtime.NativeKernel;
import dev.octet.runtime.NativeLibrary;
import dev.octet.verify.GuardedBytes;
import dev.octet.verify.GuardedOutput;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The int8 elementwise templates are exact: for every knob configuration and every signedness, on element counts
 * below, at and across vector steps and blocks, the int8 Add equals {@link QuantMath#addRequantize} and
 * QuantizeLinear / DequantizeLinear equal the reference operators, bit for bit, for random values and for the
 * corners (0, 255, −128, 127, the zero points; multipliers that are powers of two, so rne meets exact ties, and
 * multipliers so large that a·M_a + b·M_b is inf − inf = NaN; fp32 inputs NaN, ±inf, ±0, halfway values, values
 * far past the type), with the work range split in two uneven parts on two threads.
 */
class Int8ElementwiseTemplatesTest {
    private static final boolean[] BOOLS = {false, true};

    enum Kind { ADD, QUANTIZE, DEQUANTIZE }

    /** One kernel: its kind, signedness (a, b, y for the add; the int8 side otherwise) and configuration. */
    record Case(int id, Kind kind, Int8AddWorkload w, Config c, LoopKernel kernel) {
        boolean signed() {
            return kind == Kind.QUANTIZE ? w.signedOutput() : w.signedA();
        }
    }

    private static NativeLibrary library;
    private static List<Case> cases;

    private static synchronized NativeLibrary library() {
        if (library == null) {
            cases = new ArrayList<>();
            int id = 0;
            for (Kind kind : Kind.values()) {
                List<Config> configs = Int8AddTemplate.knobs(null).all();
                for (int i = 0; i < configs.size(); i++) {
                    Config c = configs.get(i);
                    // The add: signedness of a, b and y from the bits of i (all 8 over the 9 configurations);
                    // the conversions: both signednesses for every configuration.
                    for (boolean s : kind == Kind.ADD ? new boolean[] {false} : BOOLS) {
                        Int8AddWorkload w = kind == Kind.ADD
                                ? new Int8AddWorkload((i & 1) != 0, (i & 2) != 0, (i & 4) != 0)
                                : new Int8AddWorkload(s, s, s);
                        String name = "qe" + id;
                        LoopKernel k = switch (kind) {
                            case ADD -> Int8AddTemplate.build(w, c, name);
                            case QUANTIZE -> QuantizeLinearTemplate.build(w.signedOutput(),
                                    withName(c, QuantizeLinearTemplate.NAME), name);
                            case DEQUANTIZE -> DequantizeLinearTemplate.build(w.signedA(),
                                    withName(c, DequantizeLinearTemplate.NAME), name);
                        };
                        cases.add(new Case(id++, kind, w, c, k));
                    }
                }
            }
            library = Int8KernelHarness.compile(cases.stream().map(Case::kernel).toList());
        }
        return library;
    }

    private static Config withName(Config c, String template) {
        return new Config(template, c.values());
    }

    @TestFactory
    Stream<DynamicTest> kernelsMatchTheReferenceBitForBit() {
        NativeLibrary lib = library();
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.id() + " " + c.kind() + " " + c.w().key() + " "
                + c.c(), () -> {
                    for (int trial = 0; trial < 6; trial++) {
                        check(lib, c, new Random(c.id() * 101L + trial), trial);
                    }
                }));
    }

    @Test
    void everySignednessAndConfigurationIsDrawn() {
        library();
        assertThat(cases.stream().filter(c -> c.kind() == Kind.ADD).map(c -> c.w().key()).distinct()).hasSize(8);
        for (Kind kind : Kind.values()) {
            assertThat(cases.stream().filter(c -> c.kind() == kind).map(c -> c.c().values()).distinct())
                    .hasSize((int) Int8AddTemplate.knobs(null).size());
        }
    }

    @Test
    void nonFiniteAddMultipliersAreRejected() {
        assertThatThrownBy(() -> Int8AddTemplate.multipliers(1f, 1f, 0f)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Int8AddTemplate.multipliers(0.5f, 0.25f, 0.125f)).containsExactly(4f, 2f);
    }

    /** An element count: below one vector, odd, across unrolled steps, and across several blocks. */
    private static long count(Random r, Case c, int trial) {
        int block = c.c().get("block");
        return switch (trial) {
            case 0 -> 1 + r.nextInt(7);
            case 1 -> 8L * c.c().get("unroll") + 1 + r.nextInt(8);
            case 2 -> block;
            default -> block * (1 + r.nextInt(3)) + r.nextInt(block);
        };
    }

    private static void check(NativeLibrary lib, Case c, Random r, int trial) throws InterruptedException {
        int n = (int) count(r, c, trial);
        boolean corners = trial % 2 == 1;
        long range = Int8AddTemplate.parallelRange(n, c.c());
        switch (c.kind()) {
            case ADD -> checkAdd(lib, c, r, n, corners, range);
            case QUANTIZE -> checkQuantize(lib, c, r, n, corners, range);
            case DEQUANTIZE -> checkDequantize(lib, c, r, n, corners, range);
        }
    }

    private static void checkAdd(NativeLibrary lib, Case c, Random r, int n, boolean corners, long range)
            throws InterruptedException {
        Int8AddWorkload w = c.w();
        int za = zeroPoint(r, w.signedA());
        int zb = zeroPoint(r, w.signedB());
        int zy = zeroPoint(r, w.signedOutput());
        int typeLo = w.signedOutput() ? -128 : 0;
        int lo = r.nextBoolean() ? zy : typeLo; // a fused ReLU, or the type's range
        int hi = w.signedOutput() ? 127 : 255;
        float[] m = switch (r.nextInt(3)) {
            case 0 -> Int8AddTemplate.multipliers(0.5f, 0.25f, 0.125f); // powers of two: exact ties
            case 1 -> new float[] {3e38f, 3e38f}; // a·M_a + b·M_b overflows: inf, −inf, and inf − inf = NaN
            default -> Int8AddTemplate.multipliers(0.01f + r.nextFloat() / 10, 0.01f + r.nextFloat() / 10,
                    0.02f + r.nextFloat() / 10);
        };
        byte[] a = bytes(r, n, w.signedA(), za, corners);
        byte[] b = bytes(r, n, w.signedB(), zb, corners);
        long[] expected = new long[n];
        for (int i = 0; i < n; i++) {
            expected[i] = QuantMath.addRequantize(value(a[i], w.signedA()), za, m[0], value(b[i], w.signedB()), zb,
                    m[1], zy, lo, hi);
        }
        for (byte fill : GuardedBytes.FILLS) {
            GuardedBytes out = new GuardedBytes(n, fill);
            MemorySegment[] bufs = {MemorySegment.ofArray(a), MemorySegment.ofArray(b), MemorySegment.ofArray(m),
                    out.segment()};
            long[] scalars = Int8AddTemplate.scalars(n, za, zb, zy, lo, hi);
            Int8KernelHarness.runSplit(new NativeKernel(lib, c.kernel().name(), 4, scalars.length), bufs, scalars,
                    range);
            assertThat(out.damage()).isNull();
            assertThat(firstMismatch(out.values(), expected, w.signedOutput())).as("n=" + n + " m=" + m[0] + ","
                    + m[1]).isNull();
        }
    }

    private static void checkQuantize(NativeLibrary lib, Case c, Random r, int n, boolean corners, long range)
            throws InterruptedException {
        boolean signed = c.signed();
        int zp = zeroPoint(r, signed);
        float scale = corners ? 0x1p-3f : 0.001f + r.nextFloat();
        float[] x = new float[n];
        float[] special = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f, Float.MIN_VALUE,
                1e30f, -1e30f, 2.5f * scale, -2.5f * scale, 0.5f * scale, -0.5f * scale, 300 * scale, -300 * scale};
        for (int i = 0; i < n; i++) {
            x[i] = corners && r.nextInt(3) > 0 ? special[r.nextInt(special.length)]
                    : corners ? (r.nextInt(1024) - 512) * 0.5f * scale : (r.nextFloat() - 0.5f) * 400 * scale;
        }
        DataType type = signed ? DataType.INT8 : DataType.UINT8;
        Node node = Node.of("q", "QuantizeLinear", List.of("x", "s", "z"), List.of("y"));
        long[] expected = OperatorRegistry.forNode(node).evaluate(new EvalContext(node, 13, List.of(
                Tensor.ofFloats(new int[] {n}, x), Tensor.ofFloats(new int[0], scale),
                Tensor.of(type, new int[0], new long[] {zp})))).get(0).longs();
        for (byte fill : GuardedBytes.FILLS) {
            GuardedBytes out = new GuardedBytes(n, fill);
            MemorySegment[] bufs = {MemorySegment.ofArray(x), MemorySegment.ofArray(new float[] {scale}),
                    out.segment()};
            long[] scalars = QuantizeLinearTemplate.scalars(n, zp, signed);
            Int8KernelHarness.runSplit(new NativeKernel(lib, c.kernel().name(), 3, scalars.length), bufs, scalars,
                    range);
            assertThat(out.damage()).isNull();
            assertThat(firstMismatch(out.values(), expected, signed)).as("n=" + n + " scale=" + scale).isNull();
        }
    }

    private static void checkDequantize(NativeLibrary lib, Case c, Random r, int n, boolean corners, long range)
            throws InterruptedException {
        boolean signed = c.signed();
        int zp = zeroPoint(r, signed);
        float scale = corners ? Float.MIN_VALUE * (1 + r.nextInt(4)) : 1e-4f + r.nextFloat();
        byte[] q = bytes(r, n, signed, zp, corners);
        DataType type = signed ? DataType.INT8 : DataType.UINT8;
        Node node = Node.of("dq", "DequantizeLinear", List.of("q", "s", "z"), List.of("y"));
        float[] expected = OperatorRegistry.forNode(node).evaluate(new EvalContext(node, 13, List.of(
                Tensor.of(type, new int[] {n}, Int8KernelHarness.widen(q, signed)), Tensor.ofFloats(new int[0], scale),
                Tensor.of(type, new int[0], new long[] {zp})))).get(0).floats();
        GuardedOutput out = new GuardedOutput(n);
        MemorySegment[] bufs = {MemorySegment.ofArray(q), MemorySegment.ofArray(new float[] {scale}), out.segment()};
        long[] scalars = DequantizeLinearTemplate.scalars(n, zp);
        Int8KernelHarness.runSplit(new NativeKernel(lib, c.kernel().name(), 3, scalars.length), bufs, scalars, range);
        assertThat(out.damage()).isNull();
        float[] y = out.values();
        for (int i = 0; i < n; i++) {
            assertThat(Float.floatToRawIntBits(y[i])).as("element " + i).isEqualTo(Float.floatToRawIntBits(expected[i]));
        }
    }

    private static int zeroPoint(Random r, boolean signed) {
        int lo = signed ? -128 : 0;
        return switch (r.nextInt(4)) {
            case 0 -> lo;
            case 1 -> lo + 255;
            default -> lo + r.nextInt(256);
        };
    }

    private static byte[] bytes(Random r, int n, boolean signed, int zp, boolean corners) {
        int lo = signed ? -128 : 0;
        byte[] v = new byte[n];
        for (int i = 0; i < n; i++) {
            v[i] = (byte) (corners ? new int[] {lo, lo + 255, zp}[r.nextInt(3)] : lo + r.nextInt(256));
        }
        return v;
    }

    private static long value(byte q, boolean signed) {
        return signed ? q : q & 0xff;
    }
}
