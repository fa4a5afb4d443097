package dev.octet.ir.op.math;

import dev.octet.ir.op.OpContext;
import java.util.function.DoubleUnaryOperator;

/** ONNX Log: the natural logarithm; log 0 is -inf and negative inputs give NaN. */
final class Log extends UnaryOp {
    Log() {
        super("Log", Elementwise.FLOATS);
    }

    @Override
    DoubleUnaryOperator onFloats(OpContext ctx) {
        return Math::log;
    }
}
