package dev.octet.ir.op.tensor;

import dev.octet.ir.DataType;
import dev.octet.ir.Dim;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.op.EvalContext;
import dev.octet.ir.op.InferenceContext;
import dev.octet.ir.op.OpContext;
import dev.octet.ir.op.Operator;
import java.util.List;

/**
 * Shape (opsets 1, 13, 15): the input's dimensions as an INT64 vector; from opset 15 only those from start to end
 * (negative counting from the end, both clamped to the rank). Its value is a constant wherever those dimensions
 * are known statically, symbolic ones are not.
 */
final class Shape implements Operator {
    @Override
    public String opType() {
        return "Shape";
    }

    @Override
    public List<TensorType> inferTypes(InferenceContext ctx) {
        int[] range = range(ctx, ctx.inputType(0).rank());
        return List.of(TensorType.of(DataType.INT64, range[1] - range[0]));
    }

    @Override
    public List<Tensor> constantOutputs(InferenceContext ctx) {
        List<Dim> dims = ctx.inputType(0).dims();
        int[] range = range(ctx, dims.size());
        long[] values = new long[range[1] - range[0]];
        for (int i = 0; i < values.length; i++) {
            Dim d = dims.get(range[0] + i);
            if (!d.isKnown()) {
                return null;
            }
            values[i] = d.value();
        }
        return List.of(Tensor.int64Vector(values));
    }

    @Override
    public List<Tensor> evaluate(EvalContext ctx) {
        int[] shape = ctx.input(0).shape();
        int[] range = range(ctx, shape.length);
        long[] values = new long[range[1] - range[0]];
        for (int i = 0; i < values.length; i++) {
            values[i] = shape[range[0] + i];
        }
        return List.of(Tensor.int64Vector(values));
    }

    /** The first axis and one past the last; an empty range where end comes before start. */
    private static int[] range(OpContext ctx, int rank) {
        if (ctx.opset() < 15) {
            return new int[] {0, rank};
        }
        int start = clamp(ctx.attrs().getInt("start", 0), rank);
        int end = clamp(ctx.attrs().getInt("end", rank), rank);
        return new int[] {start, Math.max(start, end)};
    }

    private static int clamp(long axis, int rank) {
        long a = axis < 0 ? axis + rank : axis;
        return (int) Math.max(0, Math.min(rank, a));
    }
}
