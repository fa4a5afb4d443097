package dev.octet.ir.op.math;

import dev.octet.ir.op.OpContext;
import java.util.function.DoubleUnaryOperator;
import java.util.function.LongUnaryOperator;

/** ONNX Neg: -x; the most negative integer stays as it is (two's complement). */
final class Neg extends UnaryOp {
    Neg() {
        super("Neg", Elementwise.FLOATS_AND_SIGNED);
    }

    @Override
    DoubleUnaryOperator onFloats(OpContext ctx) {
        return x -> -x;
    }

    @Override
    LongUnaryOperator onIntegers(OpContext ctx) {
        return x -> -x;
    }
}
