package dev.octet.ir.op.nn;

import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.op.EvalContext;
import dev.octet.ir.op.InferenceContext;
import dev.octet.ir.op.Operator;
import java.util.List;

/** ONNX GlobalAveragePool: the mean of each N x C plane, in double, rounded once; spatial sizes become 1. */
public final class GlobalAveragePool implements Operator {
    @Override
    public String opType() {
        return "GlobalAveragePool";
    }

    @Override
    public List<TensorType> inferTypes(InferenceContext ctx) {
        return List.of(GlobalPooling.outputType(ctx));
    }

    @Override
    public List<Tensor> evaluate(EvalContext ctx) {
        return List.of(GlobalPooling.reduce(ctx, (x, from, to) -> {
            double sum = 0;
            for (int i = from; i < to; i++) {
                sum += x[i];
            }
            return sum / (to - from);
        }));
    }
}
