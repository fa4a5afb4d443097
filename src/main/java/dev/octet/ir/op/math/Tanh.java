package dev.octet.ir.op.math;

import dev.octet.ir.op.OpContext;
import java.util.function.DoubleUnaryOperator;

/** ONNX Tanh. */
final class Tanh extends UnaryOp {
    Tanh() {
        super("Tanh", Elementwise.FLOATS);
    }

    @Override
    DoubleUnaryOperator onFloats(OpContext ctx) {
        return Math::tanh;
    }
}
