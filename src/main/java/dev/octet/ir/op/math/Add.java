package dev.octet.ir.op.math;

import dev.octet.ir.op.OpContext;
import java.util.function.DoubleBinaryOperator;
import java.util.function.LongBinaryOperator;

/** ONNX Add, with broadcasting; integers wrap on overflow. */
final class Add extends BinaryOp {
    Add() {
        super("Add", Elementwise.NUMERIC);
    }

    @Override
    DoubleBinaryOperator onFloats(OpContext ctx) {
        return Double::sum;
    }

    @Override
    LongBinaryOperator onIntegers(OpContext ctx) {
        return Long::sum;
    }
}
