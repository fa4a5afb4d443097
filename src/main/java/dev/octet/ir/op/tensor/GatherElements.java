package dev.octet.ir.op.tensor;

import dev.octet.ir.Dim;
import dev.octet.ir.Shapes;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.op.EvalContext;
import dev.octet.ir.op.InferenceContext;
import dev.octet.ir.op.OpContext;
import dev.octet.ir.op.Operator;
import java.util.List;

/**
 * GatherElements (opsets 11, 13): output element at position p reads data at p with the axis coordinate replaced
 * by indices[p]; the output has the indices' shape. Negative indices count from the end.
 */
final class GatherElements implements Operator {
    @Override
    public String opType() {
        return "GatherElements";
    }

    @Override
    public List<TensorType> inferTypes(InferenceContext ctx) {
        TensorType data = ctx.inputType(0);
        TensorType indices = ctx.inputType(1);
        Gather.checkIndexType(ctx, indices.dtype());
        checkShapes(ctx, data.dims(), indices.dims());
        return List.of(new TensorType(data.dtype(), indices.dims()));
    }

    @Override
    public List<Tensor> evaluate(EvalContext ctx) {
        Tensor data = ctx.input(0);
        Tensor indices = ctx.input(1);
        int axis = checkShapes(ctx, Dims.of(data.shape()), Dims.of(indices.shape()));
        int[] shape = indices.shape();
        int[] strides = Shapes.strides(data.shape());
        int[] map = new int[indices.size()];
        int[] idx = new int[shape.length];
        for (int flat = 0; flat < map.length; flat++) {
            int src = 0;
            for (int d = 0; d < shape.length; d++) {
                int i = d == axis ? Gather.index(ctx, indices.getLong(flat), data.dim(d)) : idx[d];
                src += i * strides[d];
            }
            map[flat] = src;
            for (int d = shape.length - 1; d >= 0; d--) {
                if (++idx[d] < shape[d]) {
                    break;
                }
                idx[d] = 0;
            }
        }
        return List.of(Elements.take(data, shape, map));
    }

    /** Checks that indices fit data and returns the resolved axis. */
    private static int checkShapes(OpContext ctx, List<Dim> data, List<Dim> indices) {
        if (data.isEmpty() || data.size() != indices.size()) {
            throw ctx.fail("data " + data + " and indices " + indices + " must have the same rank, 1 or more");
        }
        int axis = ShapeArgs.axes(ctx, new long[] {ctx.attrs().getInt("axis", 0)}, data.size(), "axis")[0];
        for (int d = 0; d < data.size(); d++) {
            Dim a = data.get(d);
            Dim b = indices.get(d);
            if (d != axis && a.isKnown() && b.isKnown() && b.value() > a.value()) {
                throw ctx.fail("indices " + indices + " exceed data " + data + " in dimension " + d);
            }
        }
        return axis;
    }
}
