package dev.octet.ir.op.math;

import dev.octet.ir.op.OpContext;
import java.util.function.DoubleUnaryOperator;
import java.util.function.LongUnaryOperator;

/** ONNX Abs: |x|; the most negative integer stays as it is (two's complement). */
final class Abs extends UnaryOp {
    Abs() {
        super("Abs", Elementwise.NUMERIC);
    }

    @Override
    DoubleUnaryOperator onFloats(OpContext ctx) {
        return Math::abs;
    }

    @Override
    LongUnaryOperator onIntegers(OpContext ctx) {
        return Math::abs;
    }
}
