package dev.octet.ir.op.nn;

import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.op.EvalContext;
import dev.octet.ir.op.InferenceContext;
import dev.octet.ir.op.Operator;
import java.util.List;

/** ONNX GlobalMaxPool: the largest value of each N x C plane (NaN wins, as numpy); spatial sizes become 1. */
public final class GlobalMaxPool implements Operator {
    @Override
    public String opType() {
        return "GlobalMaxPool";
    }

    @Override
    public List<TensorType> inferTypes(InferenceContext ctx) {
        return List.of(GlobalPooling.outputType(ctx));
    }

    @Override
    public List<Tensor> evaluate(EvalContext ctx) {
        return List.of(GlobalPooling.reduce(ctx, (x, from, to) -> {
            double max = x[from];
            for (int i = from + 1; i < to; i++) {
                if (x[i] > max || Double.isNaN(x[i])) {
                    max = x[i];
                }
            }
            return max;
        }));
    }
}
