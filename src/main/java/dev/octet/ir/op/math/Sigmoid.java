package dev.octet.ir.op.math;

import dev.octet.ir.op.OpContext;
import java.util.function.DoubleUnaryOperator;

/** ONNX Sigmoid: 1 / (1 + e^-x). */
final class Sigmoid extends UnaryOp {
    Sigmoid() {
        super("Sigmoid", Elementwise.FLOATS);
    }

    @Override
    DoubleUnaryOperator onFloats(OpContext ctx) {
        return x -> 1 / (1 + Math.exp(-x));
    }
}
