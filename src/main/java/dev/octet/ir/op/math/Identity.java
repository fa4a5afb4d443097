package dev.octet.ir.op.math;

import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.op.EvalContext;
import dev.octet.ir.op.InferenceContext;
import dev.octet.ir.op.Operator;
import java.util.List;

/** ONNX Identity: the input tensor, of any type, unchanged. */
final class Identity implements Operator {
    @Override
    public String opType() {
        return "Identity";
    }

    @Override
    public List<TensorType> inferTypes(InferenceContext ctx) {
        return List.of(ctx.inputType(0));
    }

    @Override
    public List<Tensor> evaluate(EvalContext ctx) {
        return List.of(ctx.input(0));
    }
}
