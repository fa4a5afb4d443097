package dev.octet.ir.op.math;

import dev.octet.ir.op.OpContext;
import java.util.function.DoubleUnaryOperator;

/** ONNX Sqrt; negative inputs give NaN. */
final class Sqrt extends UnaryOp {
    Sqrt() {
        super("Sqrt", Elementwise.FLOATS);
    }

    @Override
    DoubleUnaryOperator onFloats(OpContext ctx) {
        return Math::sqrt;
    }
}
