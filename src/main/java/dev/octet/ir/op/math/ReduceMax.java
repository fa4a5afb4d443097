package dev.octet.ir.op.math;

import dev.octet.ir.DataType;
import dev.octet.ir.op.OpContext;

/**
 * ONNX ReduceMax; NaN wins. The maximum of no values is the identity of max: -inf for floats, the type's least
 * value for integers (as ONNX defines it from opset 18).
 */
final class ReduceMax extends Reduction {
    ReduceMax() {
        super("ReduceMax");
    }

    @Override
    double reduce(double[] values) {
        double m = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            m = Math.max(m, v);
        }
        return m;
    }

    @Override
    long reduce(OpContext ctx, DataType t, long[] values) {
        long m = t.minValue();
        for (long v : values) {
            m = Math.max(m, v);
        }
        return m;
    }
}
