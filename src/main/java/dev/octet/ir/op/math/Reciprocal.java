package dev.octet.ir.op.math;

import dev.octet.ir.op.OpContext;
import java.util.function.DoubleUnaryOperator;

/** ONNX Reciprocal: 1/x. */
final class Reciprocal extends UnaryOp {
    Reciprocal() {
        super("Reciprocal", Elementwise.FLOATS);
    }

    @Override
    DoubleUnaryOperator onFloats(OpContext ctx) {
        return x -> 1 / x;
    }
}
