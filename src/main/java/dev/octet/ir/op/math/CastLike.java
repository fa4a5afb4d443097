package dev.octet.ir.op.math;

import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.op.EvalContext;
import dev.octet.ir.op.InferenceContext;
import dev.octet.ir.op.Operator;
import java.util.List;

/** ONNX CastLike (opset 15): Cast to the element type of the second input (see {@link Conversions}). */
final class CastLike implements Operator {
    @Override
    public String opType() {
        return "CastLike";
    }

    @Override
    public List<TensorType> inferTypes(InferenceContext ctx) {
        return List.of(new TensorType(ctx.inputType(1).dtype(), ctx.inputType(0).dims()));
    }

    @Override
    public List<Tensor> evaluate(EvalContext ctx) {
        return List.of(Conversions.convert(ctx, ctx.input(0), ctx.input(1).dtype()));
    }
}
