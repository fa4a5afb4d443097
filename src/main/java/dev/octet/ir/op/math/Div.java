package dev.octet.ir.op.math;

import dev.octet.ir.op.OpContext;
import java.util.function.DoubleBinaryOperator;
import java.util.function.LongBinaryOperator;

/**
 * ONNX Div, with broadcasting. Integer division truncates toward zero, as C does; division of an integer by zero
 * is undefined in ONNX, so it fails instead of giving some value.
 */
final class Div extends BinaryOp {
    Div() {
        super("Div", Elementwise.NUMERIC);
    }

    @Override
    DoubleBinaryOperator onFloats(OpContext ctx) {
        return (a, b) -> a / b;
    }

    @Override
    LongBinaryOperator onIntegers(OpContext ctx) {
        return (a, b) -> {
            if (b == 0) {
                throw ctx.fail("integer division by zero");
            }
            return a / b;
        };
    }
}
