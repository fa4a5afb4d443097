package dev.octet.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.octet.ir.Attribute;
import dev.octet.ir.DataType;
import dev.octet.ir.Node;
import dev.octet.ir.OctetException;
import dev.octet.ir.Tensor;
import dev.octet.ir.op.EvalContext;
import dev.octet.ir.op.OperatorRegistry;
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
import org.junit.jupiter.api.TestFactory;

/**
 * The row-wise max pool (knob {@code rows} = 1, fp32 and u8/s8; for fp32 3×3/2 windows also the AVX-512 row
 * micro-kernel, {@code rows} = {@link PoolTemplate#ROW_KERNEL}) equals the reference MaxPool bit for bit over a grid
 * of the shapes where its interior/border split could go wrong: kernels 2 and 3, strides 1, 2 and 3, no, symmetric
 * and asymmetric pads, odd and even sizes, rows of several 16-wide vectors, images narrower than the window's
 * interior (no interior columns or rows)
 * and ResNet's 3×3/2 pad-1 window; fp32 on random values, on NaN, ±∞ and ±0 (the first of equal values stays, NaN
 * wins) and on random values with a rare special value (rows with NaN take the exact fold, rows without vmaxps).
 */
class RowWiseMaxPoolTest {
    record Case(int id, PoolWorkload w, boolean f32, boolean signed, int rows, int h, int wd, int[] pads,
            LoopKernel kernel) {
        Node node() {
            return Node.of("mp", "MaxPool", List.of("x"), List.of("y"),
                    Attribute.of("kernel_shape", (long) w.kernelH(), w.kernelW()),
                    Attribute.of("strides", (long) w.strideH(), w.strideW()),
                    Attribute.of("pads", (long) pads[0], pads[1], pads[2], pads[3]));
        }
    }

    private static final int CHANNELS = 3;

    @TestFactory
    Stream<DynamicTest> rowWiseMaxPoolMatchesTheReference() {
        List<Case> cases = new ArrayList<>();
        int[][] padSets = {{0, 0, 0, 0}, {1, 1, 1, 1}, {0, 1, 1, 0}, {1, 0, 0, 1}};
        int[][] sizes = {{1, 1}, {2, 3}, {5, 7}, {9, 4}, {13, 17}, {16, 33}, {6, 70}};
        int id = 0;
        for (int k = 2; k <= 3; k++) {
            for (int s = 1; s <= 3; s++) {
                for (int[] pads : padSets) {
                    for (int[] size : sizes) {
                        // fp32, u8, s8, fp32 by the row micro-kernel (3×3/2 only)
                        for (int type = 0; type < 4; type++, id++) {
                            PoolWorkload w = new PoolWorkload(PoolWorkload.Kind.MAX, k, k, s, s, 1, 1, false);
                            if (type == 3 && !(k == 3 && s == 2)) {
                                continue;
                            }
                            boolean f32 = type == 0 || type == 3;
                            int rows = type == 3 ? PoolTemplate.ROW_KERNEL : 1;
                            Case probe = new Case(id, w, f32, type == 2, rows, size[0], size[1], pads, null);
                            try {
                                reference(probe, new long[CHANNELS * size[0] * size[1]]);
                            } catch (OctetException e) {
                                continue; // a window of padding only
                            }
                            cases.add(new Case(id, w, f32, type == 2, rows, size[0], size[1], pads,
                                    build(probe)));
                        }
                    }
                }
            }
        }
        NativeLibrary lib = Int8KernelHarness.compile(cases.stream().map(Case::kernel).toList());
        assertThat(cases).hasSizeGreaterThan(300);
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.id() + " " + c.w().key()
                + (c.f32() ? " f32 rows=" + c.rows() : c.signed() ? " s8" : " u8") + " " + c.h() + "x" + c.wd()
                + " pads " + java.util.Arrays.toString(c.pads()), () -> check(lib, c)));
    }

    private static LoopKernel build(Case c) {
        String name = "rw" + c.id();
        if (c.f32()) {
            return PoolTemplate.build(c.w(), new Config(PoolTemplate.NAME, java.util.Map.of("rows", c.rows(),
                    "inner", 0)), name);
        }
        Config rows = Int8MaxPoolTemplate.knobs(c.w()).defaults();
        assertThat(rows.get("rows")).isEqualTo(1);
        return Int8MaxPoolTemplate.build(c.w(), c.signed(), rows, name);
    }

    private static Tensor reference(Case c, long[] x) {
        int[] shape = {1, CHANNELS, c.h(), c.wd()};
        Tensor xt;
        if (c.f32()) {
            float[] f = new float[x.length];
            for (int i = 0; i < x.length; i++) {
                f[i] = Float.intBitsToFloat((int) x[i]);
            }
            xt = Tensor.ofFloats(shape, f);
        } else {
            xt = Tensor.of(c.signed() ? DataType.INT8 : DataType.UINT8, shape, x);
        }
        Node node = c.node();
        return OperatorRegistry.forNode(node).evaluate(new EvalContext(node, 12, List.of(xt))).get(0);
    }

    private static void check(NativeLibrary lib, Case c) throws InterruptedException {
        int size = CHANNELS * c.h() * c.wd();
        float[] special = {Float.NaN, 0f, -0f, 1f, Float.NEGATIVE_INFINITY, -0f, 1f, Float.POSITIVE_INFINITY, 0f};
        for (int round = 0; round < (c.f32() ? 3 : 1); round++) {
            Random r = new Random(c.id() * 31L + round);
            long[] x = new long[size];
            for (int i = 0; i < size; i++) {
                if (c.f32()) {
                    // Random; all special values; random with a rare NaN or ±0 (rows with and without NaN).
                    float v = round == 1 || (round == 2 && r.nextInt(40) == 0) ? special[r.nextInt(special.length)]
                            : (float) r.nextGaussian();
                    x[i] = Float.floatToRawIntBits(v);
                } else {
                    x[i] = r.nextInt(256) + (c.signed() ? -128 : 0);
                }
            }
            Tensor expected = reference(c, x);
            int[] os = expected.shape();
            long[] scalars = c.f32()
                    ? new long[] {c.h(), c.wd(), os[2], os[3], c.pads()[0], c.pads()[1], c.pads()[2], c.pads()[3]}
                    : new long[] {c.h(), c.wd(), os[2], os[3], c.pads()[0], c.pads()[1]};
            NativeKernel k = new NativeKernel(lib, c.kernel().name(), 2, scalars.length);
            if (c.f32()) {
                float[] in = new float[size];
                for (int i = 0; i < size; i++) {
                    in[i] = Float.intBitsToFloat((int) x[i]);
                }
                // NaN-filled, canary-guarded output on random values; a plain one where NaN is a valid result.
                GuardedOutput out = new GuardedOutput(expected.floats().length);
                float[] got = new float[expected.floats().length];
                MemorySegment target = round == 0 ? out.segment() : MemorySegment.ofArray(got);
                Int8KernelHarness.runSplit(k, new MemorySegment[] {MemorySegment.ofArray(in), target}, scalars,
                        CHANNELS);
                if (round == 0) {
                    assertThat(out.damage()).isNull();
                    got = out.values();
                }
                for (int i = 0; i < got.length; i++) {
                    assertThat(Float.floatToIntBits(got[i])).as("element %d", i)
                            .isEqualTo(Float.floatToIntBits(expected.floats()[i]));
                }
            } else {
                byte[] in = new byte[size];
                for (int i = 0; i < size; i++) {
                    in[i] = (byte) x[i];
                }
                GuardedBytes out = new GuardedBytes(expected.longs().length, GuardedBytes.FILLS[0]);
                Int8KernelHarness.runSplit(k, new MemorySegment[] {MemorySegment.ofArray(in), out.segment()},
                        scalars, CHANNELS);
                assertThat(out.damage()).isNull();
                assertThat(Int8KernelHarness.firstMismatch(out.values(), expected.longs(), c.signed())).isNull();
            }
        }
    }
}
