package dev.octet.ir.op.tensor;

import dev.octet.ir.DataType;
import dev.octet.ir.Dim;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.op.EvalContext;
import dev.octet.ir.op.InferenceContext;
import dev.octet.ir.op.OpContext;
import dev.octet.ir.op.Operator;
import java.util.ArrayList;
import java.util.List;

/** ConstantOfShape (opset 9): a tensor of the given shape filled with {@code value} (default float 0). */
final class ConstantOfShape implements Operator {
    @Override
    public String opType() {
        return "ConstantOfShape";
    }

    @Override
    public List<TensorType> inferTypes(InferenceContext ctx) {
        DataType dtype = value(ctx).dtype();
        Tensor shape = ctx.constant(0);
        if (shape == null) {
            return List.of(new TensorType(dtype, Dims.unknown(ShapeArgs.length(ctx, ctx.inputType(0), "shape"))));
        }
        return List.of(new TensorType(dtype, outputDims(ctx, shape)));
    }

    @Override
    public List<Tensor> evaluate(EvalContext ctx) {
        int[] shape = Dims.concrete(outputDims(ctx, ctx.input(0)), "ConstantOfShape");
        return List.of(Elements.fill(value(ctx), shape));
    }

    private static Tensor value(OpContext ctx) {
        Tensor v = ctx.attrs().getTensor("value");
        if (v == null) {
            return Tensor.ofFloats(new int[] {1}, 0f);
        }
        if (v.size() != 1) {
            throw ctx.fail("value must hold one element, got " + v.type());
        }
        return v;
    }

    private static List<Dim> outputDims(OpContext ctx, Tensor shape) {
        List<Dim> dims = new ArrayList<>();
        for (long d : ShapeArgs.ints(ctx, shape, "shape")) {
            if (d < 0) {
                throw ctx.fail("shape " + shape + " has a negative dimension");
            }
            dims.add(Dim.of(d));
        }
        return Dims.checkSize(dims, "ConstantOfShape");
    }
}
