package dev.octet.ir.op.nn;

import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.op.EvalContext;
import dev.octet.ir.op.InferenceContext;
import dev.octet.ir.op.OpContext;
import dev.octet.ir.op.Operator;
import java.util.List;

/**
 * ONNX Upsample (opset 9; deprecated by Resize in opset 10): inputs X and scales, mode nearest or linear. It is
 * Resize-10 exactly, so it runs Resize's engine with the same (legacy) settings.
 */
final class Upsample implements Operator {
    private final Resize resize = new Resize();

    @Override
    public String opType() {
        return "Upsample";
    }

    @Override
    public List<TensorType> inferTypes(InferenceContext ctx) {
        checkOpset(ctx);
        return resize.inferTypes(ctx);
    }

    @Override
    public List<Tensor> evaluate(EvalContext ctx) {
        checkOpset(ctx);
        return resize.evaluate(ctx);
    }

    /** Resize reads opsets below 11 as Resize-10, which is Upsample-9; later Upsample versions are deprecated. */
    private static void checkOpset(OpContext ctx) {
        if (ctx.opset() > 9) {
            throw ctx.unsupported("Upsample is deprecated from opset 10 on (use Resize); the model has opset "
                    + ctx.opset());
        }
    }
}
