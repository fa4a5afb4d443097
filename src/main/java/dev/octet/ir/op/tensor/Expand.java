package dev.octet.ir.op.tensor;

import dev.octet.ir.Dim;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.op.Broadcast;
import dev.octet.ir.op.EvalContext;
import dev.octet.ir.op.InferenceContext;
import dev.octet.ir.op.OpContext;
import dev.octet.ir.op.Operator;
import java.util.ArrayList;
import java.util.List;

/**
 * Expand (opsets 8, 13): broadcasts the input against a shape, in both directions (a 1 in the shape keeps the
 * input's dimension).
 */
final class Expand implements Operator {
    @Override
    public String opType() {
        return "Expand";
    }

    @Override
    public List<TensorType> inferTypes(InferenceContext ctx) {
        TensorType in = ctx.inputType(0);
        Tensor shape = ctx.constant(1);
        if (shape == null) {
            int n = ShapeArgs.length(ctx, ctx.inputType(1), "shape");
            return List.of(new TensorType(in.dtype(), Dims.unknown(Math.max(n, in.rank()))));
        }
        return List.of(new TensorType(in.dtype(), outputDims(ctx, in.dims(), shape)));
    }

    @Override
    public List<Tensor> evaluate(EvalContext ctx) {
        Tensor x = ctx.input(0);
        int[] shape = Dims.concrete(outputDims(ctx, Dims.of(x.shape()), ctx.input(1)), "Expand");
        return List.of(Elements.take(x, shape, Broadcast.indexMap(x.shape(), shape)));
    }

    private static List<Dim> outputDims(OpContext ctx, List<Dim> in, Tensor shape) {
        List<Dim> target = new ArrayList<>();
        for (long d : ShapeArgs.ints(ctx, shape, "shape")) {
            if (d < 0) {
                throw ctx.fail("shape " + shape + " has a negative dimension");
            }
            target.add(Dim.of(d));
        }
        return Dims.checkSize(Broadcast.dims(List.of(in, target)), "Expand");
    }
}
