package dev.octet.ir.op.math;

import dev.octet.ir.op.OpContext;
import java.util.function.DoubleUnaryOperator;

/** ONNX Softplus: ln(e^x + 1), written as max(x, 0) + ln(1 + e^-|x|) so that e^x cannot overflow. */
final class Softplus extends UnaryOp {
    Softplus() {
        super("Softplus", Elementwise.FLOATS);
    }

    @Override
    DoubleUnaryOperator onFloats(OpContext ctx) {
        return x -> Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
    }
}
