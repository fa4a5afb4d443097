package dev.octet.ir.op.quant;

import dev.octet.ir.Dim;
import dev.octet.ir.TensorType;
import dev.octet.ir.op.Broadcast;
import dev.octet.ir.op.OpContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * numpy.matmul on exact integers, shared by MatMulInteger and QLinearMatMul: the output shape (a 1-D left operand
 * is a row, a 1-D right operand a column, and the added axis is dropped; batch axes broadcast), where each
 * operand's quantization parameters apply, and the product of zero-point-centred operands.
 */
final class IntegerMatMul {
    private IntegerMatMul() {
    }

    /**
     * The product: output values (exact, in long), output shape, and for each output element the row of a and the
     * column of b it was computed from, as flat indices into {@link #rowShape} and {@link #columnShape}.
     */
    record Product(int[] shape, long[] values, int[] row, int[] column) {
    }

    /** A left operand as a matrix (or a batch of them): a 1-D operand is one row. */
    static int[] promoteLeft(int[] shape) {
        return shape.length == 1 ? new int[] {1, shape[0]} : shape;
    }

    /** A right operand as a matrix (or a batch of them): a 1-D operand is one column. */
    static int[] promoteRight(int[] shape) {
        return shape.length == 1 ? new int[] {shape[0], 1} : shape;
    }

    /** The rows of a (promoted) left operand: its shape with the reduction axis set to 1. */
    static int[] rowShape(int[] promotedLeft) {
        int[] s = promotedLeft.clone();
        s[s.length - 1] = 1;
        return s;
    }

    /** The columns of a (promoted) right operand: its shape with the reduction axis set to 1. */
    static int[] columnShape(int[] promotedRight) {
        int[] s = promotedRight.clone();
        s[s.length - 2] = 1;
        return s;
    }

    /** The output dimensions of a × b; fails where the reduction lengths or the batch axes do not agree. */
    static List<Dim> outputDims(OpContext ctx, TensorType a, TensorType b) {
        if (a.rank() == 0 || b.rank() == 0) {
            throw ctx.fail("operands must have rank 1 or more, got " + a + " and " + b);
        }
        Dim ka = a.dims().get(a.rank() - 1);
        Dim kb = b.dims().get(b.rank() == 1 ? 0 : b.rank() - 2);
        if (ka.isKnown() && kb.isKnown() && ka.value() != kb.value()) {
            throw ctx.fail("cannot multiply " + a + " by " + b + ": reduction lengths " + ka + " and " + kb
                    + " differ");
        }
        List<Dim> batchA = a.rank() > 2 ? a.dims().subList(0, a.rank() - 2) : List.of();
        List<Dim> batchB = b.rank() > 2 ? b.dims().subList(0, b.rank() - 2) : List.of();
        List<Dim> out = new ArrayList<>(Broadcast.dims(List.of(batchA, batchB)));
        if (a.rank() > 1) {
            out.add(a.dims().get(a.rank() - 2));
        }
        if (b.rank() > 1) {
            out.add(b.dims().get(b.rank() - 1));
        }
        return out;
    }

    /** a × b for operands already centred on their zero points; shapes as numpy.matmul takes them. */
    static Product multiply(long[] a, int[] aShape, long[] b, int[] bShape) {
        int[] a2 = promoteLeft(aShape);
        int[] b2 = promoteRight(bShape);
        int m = a2[a2.length - 2];
        int k = a2[a2.length - 1];
        int n = b2[b2.length - 1];
        int[] batchA = Arrays.copyOf(a2, a2.length - 2);
        int[] batchB = Arrays.copyOf(b2, b2.length - 2);
        int[] batch = Broadcast.shape(batchA, batchB);
        int[] mapA = Broadcast.indexMap(batchA, batch);
        int[] mapB = Broadcast.indexMap(batchB, batch);
        int batches = mapA.length;
        long[] out = new long[Math.multiplyExact(batches, Math.multiplyExact(m, n))];
        int[] row = new int[out.length];
        int[] column = new int[out.length];
        for (int t = 0; t < batches; t++) {
            int baseA = mapA[t] * m * k;
            int baseB = mapB[t] * k * n;
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    long acc = 0;
                    for (int p = 0; p < k; p++) {
                        acc += a[baseA + i * k + p] * b[baseB + p * n + j];
                    }
                    int o = (t * m + i) * n + j;
                    out[o] = acc;
                    row[o] = mapA[t] * m + i;
                    column[o] = mapB[t] * n + j;
                }
            }
        }
        int[] shape = Arrays.copyOf(batch, batch.length + (aShape.length > 1 ? 1 : 0) + (bShape.length > 1 ? 1 : 0));
        int d = batch.length;
        if (aShape.length > 1) {
            shape[d++] = m;
        }
        if (bShape.length > 1) {
            shape[d] = n;
        }
        return new Product(shape, out, row, column);
    }

    /**
     * For each element of a (promoted) operand, or of its {@link #rowShape} or {@link #columnShape}, the flat index
     * of the quantization parameter (zero point or scale) it uses. A parameter is a scalar (per tensor); a 1-D
     * vector, per row of a ({@code left}) or per column of b; or an N-D tensor that broadcasts to the operand, e.g.
     * [D1, D2, M, 1] for a or [D1, D2, 1, N] for b.
     */
    static int[] parameterIndex(OpContext ctx, int[] paramShape, int[] operandShape, boolean left, String what) {
        int[] shape = paramShape;
        int size = dev.octet.ir.Shapes.size(paramShape);
        if (paramShape.length == 1 && size != 1) {
            int axis = operandShape.length - (left ? 2 : 1);
            if (operandShape[axis] != size) {
                throw ctx.fail(what + " has " + size + " values, but the operand has " + operandShape[axis]
                        + (left ? " rows" : " columns"));
            }
            shape = left ? new int[] {size, 1} : paramShape;
        }
        if (shape.length > operandShape.length || !Arrays.equals(broadcastOrNull(shape, operandShape), operandShape)) {
            throw ctx.fail(what + " of shape " + Arrays.toString(paramShape) + " does not fit the operand's shape "
                    + Arrays.toString(operandShape));
        }
        return Broadcast.indexMap(shape, operandShape);
    }

    /** The operand with its zero point subtracted from each element (zeroPoint null: unchanged). */
    static long[] centred(long[] values, long[] zeroPoint, int[] zeroPointIndex) {
        if (zeroPoint == null) {
            return values;
        }
        long[] out = new long[values.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = values[i] - zeroPoint[zeroPointIndex[i]];
        }
        return out;
    }

    private static int[] broadcastOrNull(int[] a, int[] b) {
        try {
            return Broadcast.shape(a, b);
        } catch (dev.octet.ir.OctetException e) {
            return null;
        }
    }
}
