package dev.octet.ir.op.math;

import dev.octet.ir.op.OpContext;
import java.util.function.DoubleUnaryOperator;

/** ONNX HardSwish (opset 14): x · max(0, min(1, x/6 + 1/2)). */
final class HardSwish extends UnaryOp {
    HardSwish() {
        super("HardSwish", Elementwise.FLOATS);
    }

    @Override
    DoubleUnaryOperator onFloats(OpContext ctx) {
        return x -> x * Math.max(0, Math.min(1, x / 6 + 0.5));
    }
}
