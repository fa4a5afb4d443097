package dev.octet.ir.op.math;

import dev.octet.ir.op.OpContext;
import java.util.function.DoubleUnaryOperator;
import java.util.function.LongUnaryOperator;

/** ONNX Relu: max(0, x). */
final class Relu extends UnaryOp {
    Relu() {
        super("Relu", Elementwise.FLOATS_AND_SIGNED);
    }

    @Override
    DoubleUnaryOperator onFloats(OpContext ctx) {
        return x -> Math.max(x, 0); // NaN stays NaN
    }

    @Override
    LongUnaryOperator onIntegers(OpContext ctx) {
        return x -> Math.max(x, 0);
    }
}
