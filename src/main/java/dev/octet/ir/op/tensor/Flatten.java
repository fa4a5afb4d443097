package dev.octet.ir.op.tensor;

import dev.octet.ir.Dim;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.op.EvalContext;
import dev.octet.ir.op.InferenceContext;
import dev.octet.ir.op.OpContext;
import dev.octet.ir.op.Operator;
import java.util.List;

/** Flatten (opsets 9, 11, 13): [d0 ... d(axis-1)] and [d(axis) ...] each become one dimension. */
final class Flatten implements Operator {
    @Override
    public String opType() {
        return "Flatten";
    }

    @Override
    public List<TensorType> inferTypes(InferenceContext ctx) {
        TensorType in = ctx.inputType(0);
        return List.of(new TensorType(in.dtype(), outputDims(ctx, in.dims())));
    }

    @Override
    public List<Tensor> evaluate(EvalContext ctx) {
        Tensor x = ctx.input(0);
        return List.of(x.reshape(Dims.concrete(outputDims(ctx, Dims.of(x.shape())), "Flatten")));
    }

    private static List<Dim> outputDims(OpContext ctx, List<Dim> in) {
        int rank = in.size();
        long axis = ctx.attrs().getInt("axis", 1);
        // Unlike most axes, rank itself is allowed: everything goes to the first dimension.
        if (axis < -rank || axis > rank) {
            throw ctx.fail("axis " + axis + " is out of range for rank " + rank);
        }
        int a = (int) (axis < 0 ? axis + rank : axis);
        return List.of(Dims.product(in.subList(0, a), "Flatten"), Dims.product(in.subList(a, rank), "Flatten"));
    }
}
