package dev.octet.ir.op.math;

import dev.octet.ir.op.OpContext;
import java.util.function.DoubleBinaryOperator;
import java.util.function.LongBinaryOperator;

/** ONNX Sub, with broadcasting; integers wrap on overflow. */
final class Sub extends BinaryOp {
    Sub() {
        super("Sub", Elementwise.NUMERIC);
    }

    @Override
    DoubleBinaryOperator onFloats(OpContext ctx) {
        return (a, b) -> a - b;
    }

    @Override
    LongBinaryOperator onIntegers(OpContext ctx) {
        return (a, b) -> a - b;
    }
}
