package dev.octet.ir.op.math;

import dev.octet.ir.op.OpContext;
import java.util.function.DoubleUnaryOperator;

/** ONNX HardSigmoid: max(0, min(1, alpha·x + beta)), alpha 0.2 and beta 0.5 by default. */
final class HardSigmoid extends UnaryOp {
    HardSigmoid() {
        super("HardSigmoid", Elementwise.FLOATS);
    }

    @Override
    DoubleUnaryOperator onFloats(OpContext ctx) {
        double alpha = ctx.attrs().getFloat("alpha", 0.2f);
        double beta = ctx.attrs().getFloat("beta", 0.5f);
        return x -> Math.max(0, Math.min(1, alpha * x + beta));
    }
}
