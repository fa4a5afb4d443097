package dev.octet.ir.op.tensor;

import dev.octet.ir.Dim;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.op.EvalContext;
import dev.octet.ir.op.InferenceContext;
import dev.octet.ir.op.OpContext;
import dev.octet.ir.op.Operator;
import java.util.ArrayList;
import java.util.List;

/**
 * Unsqueeze (opsets 1, 11, 13): inserts axes of size 1; the axes (an attribute before opset 13, an input from 13)
 * index the output, so they may be negative against the output rank and come in any order.
 */
final class Unsqueeze implements Operator {
    @Override
    public String opType() {
        return "Unsqueeze";
    }

    @Override
    public List<TensorType> inferTypes(InferenceContext ctx) {
        TensorType in = ctx.inputType(0);
        if (ctx.opset() >= 13 && ctx.constant(1) == null) {
            int added = ShapeArgs.length(ctx, ctx.inputType(1), "axes");
            return List.of(new TensorType(in.dtype(), Dims.unknown(in.rank() + added)));
        }
        long[] axes = ctx.opset() < 13 ? attribute(ctx) : ShapeArgs.ints(ctx, ctx.constant(1), "axes");
        return List.of(new TensorType(in.dtype(), outputDims(ctx, in.dims(), axes)));
    }

    @Override
    public List<Tensor> evaluate(EvalContext ctx) {
        Tensor x = ctx.input(0);
        long[] axes = ctx.opset() < 13 ? attribute(ctx) : ShapeArgs.ints(ctx, ctx.input(1), "axes");
        return List.of(x.reshape(Dims.concrete(outputDims(ctx, Dims.of(x.shape()), axes), "Unsqueeze")));
    }

    private static long[] attribute(OpContext ctx) {
        long[] axes = ctx.attrs().getInts("axes");
        if (axes == null) {
            throw ctx.fail("attribute 'axes' is required before opset 13");
        }
        return axes;
    }

    private static List<Dim> outputDims(OpContext ctx, List<Dim> in, long[] axes) {
        int rank = in.size() + axes.length;
        boolean[] inserted = new boolean[rank];
        for (int a : ShapeArgs.axes(ctx, axes, rank, "axis")) {
            inserted[a] = true;
        }
        List<Dim> out = new ArrayList<>();
        int next = 0;
        for (int a = 0; a < rank; a++) {
            out.add(inserted[a] ? Dim.of(1) : in.get(next++));
        }
        return out;
    }
}
