package dev.octet.ir.op.math;

import dev.octet.ir.op.OpContext;
import java.util.function.DoubleUnaryOperator;

/** ONNX LeakyRelu: x for x &ge; 0, alpha·x below (alpha 0.01 by default). */
final class LeakyRelu extends UnaryOp {
    LeakyRelu() {
        super("LeakyRelu", Elementwise.FLOATS);
    }

    @Override
    DoubleUnaryOperator onFloats(OpContext ctx) {
        double alpha = ctx.attrs().getFloat("alpha", 0.01f);
        return x -> x < 0 ? alpha * x : x;
    }
}
