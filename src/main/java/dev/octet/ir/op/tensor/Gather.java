package dev.octet.ir.op.tensor;

import dev.octet.ir.DataType;
import dev.octet.ir.Dim;
import dev.octet.ir.Shapes;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.op.EvalContext;
import dev.octet.ir.op.InferenceContext;
import dev.octet.ir.op.OpContext;
import dev.octet.ir.op.Operator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Gather (opsets 1, 11, 13): picks slices of {@code data} along an axis by index; the output shape is data's with
 * that axis replaced by the indices' shape. Negative indices count from the end.
 */
final class Gather implements Operator {
    @Override
    public String opType() {
        return "Gather";
    }

    @Override
    public List<TensorType> inferTypes(InferenceContext ctx) {
        TensorType data = ctx.inputType(0);
        TensorType indices = ctx.inputType(1);
        checkIndexType(ctx, indices.dtype());
        int axis = axis(ctx, data.rank());
        List<Dim> dims = new ArrayList<>(data.dims().subList(0, axis));
        dims.addAll(indices.dims());
        dims.addAll(data.dims().subList(axis + 1, data.rank()));
        return List.of(new TensorType(data.dtype(), dims));
    }

    @Override
    public List<Tensor> evaluate(EvalContext ctx) {
        Tensor data = ctx.input(0);
        Tensor indices = ctx.input(1);
        int[] in = data.shape();
        int axis = axis(ctx, in.length);
        int outer = Shapes.size(Arrays.copyOf(in, axis));
        int inner = Shapes.size(Arrays.copyOfRange(in, axis + 1, in.length));
        int[] shape = new int[in.length - 1 + indices.rank()];
        System.arraycopy(in, 0, shape, 0, axis);
        System.arraycopy(indices.shape(), 0, shape, axis, indices.rank());
        System.arraycopy(in, axis + 1, shape, axis + indices.rank(), in.length - axis - 1);
        int[] map = new int[Shapes.size(shape)];
        int n = indices.size();
        int pos = 0;
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < n; j++) {
                int row = index(ctx, indices.getLong(j), in[axis]);
                for (int k = 0; k < inner; k++) {
                    map[pos++] = (o * in[axis] + row) * inner + k;
                }
            }
        }
        return List.of(Elements.take(data, shape, map));
    }

    static void checkIndexType(OpContext ctx, DataType dtype) {
        if (dtype != DataType.INT32 && dtype != DataType.INT64) {
            throw ctx.fail("indices must be int32 or int64, got " + dtype.shortName());
        }
    }

    /** An index resolved against the size of its axis; out of range fails. */
    static int index(OpContext ctx, long i, int size) {
        if (i < -size || i >= size) {
            throw ctx.fail("index " + i + " is out of range for an axis of size " + size);
        }
        return (int) (i < 0 ? i + size : i);
    }

    private static int axis(OpContext ctx, int rank) {
        return ShapeArgs.axes(ctx, new long[] {ctx.attrs().getInt("axis", 0)}, rank, "axis")[0];
    }
}
