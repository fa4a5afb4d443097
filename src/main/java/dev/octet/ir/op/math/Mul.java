package dev.octet.ir.op.math;

import dev.octet.ir.op.OpContext;
import java.util.function.DoubleBinaryOperator;
import java.util.function.LongBinaryOperator;

/** ONNX Mul, with broadcasting; integers wrap on overflow. */
final class Mul extends BinaryOp {
    Mul() {
        super("Mul", Elementwise.NUMERIC);
    }

    @Override
    DoubleBinaryOperator onFloats(OpContext ctx) {
        return (a, b) -> a * b;
    }

    @Override
    LongBinaryOperator onIntegers(OpContext ctx) {
        return (a, b) -> a * b;
    }
}
