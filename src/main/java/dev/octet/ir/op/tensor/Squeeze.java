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
 * Squeeze (opsets 1, 11, 13): removes the given axes of size 1 (an attribute before opset 13, an optional input
 * from 13), or every axis of size 1 when none are given.
 */
final class Squeeze implements Operator {
    @Override
    public String opType() {
        return "Squeeze";
    }

    @Override
    public List<TensorType> inferTypes(InferenceContext ctx) {
        TensorType in = ctx.inputType(0);
        long[] axes;
        if (ctx.opset() < 13) {
            axes = ctx.attrs().getInts("axes");
        } else if (!ctx.hasInput(1)) {
            axes = null;
        } else if (ctx.constant(1) != null) {
            axes = ShapeArgs.ints(ctx, ctx.constant(1), "axes");
        } else {
            int removed = ShapeArgs.length(ctx, ctx.inputType(1), "axes");
            if (removed == 0) {
                // Empty axes squeeze every size-1 dimension: the output rank depends on the input's sizes.
                throw ctx.unsupported("Squeeze with empty axes that are not constant: the output rank is unknown");
            }
            return List.of(new TensorType(in.dtype(), Dims.unknown(Math.max(0, in.rank() - removed))));
        }
        return List.of(new TensorType(in.dtype(), outputDims(ctx, in.dims(), axes)));
    }

    @Override
    public List<Tensor> evaluate(EvalContext ctx) {
        Tensor x = ctx.input(0);
        long[] axes = ctx.opset() < 13 ? ctx.attrs().getInts("axes")
                : ctx.hasInput(1) ? ShapeArgs.ints(ctx, ctx.input(1), "axes") : null;
        return List.of(x.reshape(Dims.concrete(outputDims(ctx, Dims.of(x.shape()), axes), "Squeeze")));
    }

    private static List<Dim> outputDims(OpContext ctx, List<Dim> in, long[] axes) {
        boolean[] remove = new boolean[in.size()];
        // ONNX Runtime reads an empty axes list as no list at all.
        if (axes == null || axes.length == 0) {
            for (int a = 0; a < in.size(); a++) {
                if (!in.get(a).isKnown()) {
                    throw ctx.unsupported("Squeeze without axes needs every input dimension known, got " + in);
                }
                remove[a] = in.get(a).value() == 1;
            }
        } else {
            for (int a : ShapeArgs.axes(ctx, axes, in.size(), "axis")) {
                Dim d = in.get(a);
                if (d.isKnown() && d.value() != 1) {
                    throw ctx.fail("cannot squeeze axis " + a + " of size " + d.value() + " in shape " + in);
                }
                remove[a] = true;
            }
        }
        List<Dim> out = new ArrayList<>();
        for (int a = 0; a < in.size(); a++) {
            if (!remove[a]) {
                out.add(in.get(a));
            }
        }
        return out;
    }
}
