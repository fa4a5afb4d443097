package dev.octet.ir.op.math;

import dev.octet.ir.DataType;
import dev.octet.ir.op.OpContext;

/**
 * ONNX ReduceSum: accumulated in double and rounded once (exact for integers, wrapping to the type). From opset 13
 * the axes are an optional input, and {@code noop_with_empty_axes} = 1 makes empty axes reduce nothing.
 */
final class ReduceSum extends Reduction {
    ReduceSum() {
        super("ReduceSum");
    }

    @Override
    boolean axesAreInput(int opset) {
        return opset >= 13;
    }

    @Override
    double reduce(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum;
    }

    @Override
    long reduce(OpContext ctx, DataType t, long[] values) {
        long sum = 0;
        for (long v : values) {
            sum += v;
        }
        return sum;
    }
}
