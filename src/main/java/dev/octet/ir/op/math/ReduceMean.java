package dev.octet.ir.op.math;

import dev.octet.ir.DataType;
import dev.octet.ir.op.OpContext;

/**
 * ONNX ReduceMean: the sum in double (exact in long for integers) divided by the count; integer means truncate
 * toward zero, as integer division does. The mean of no values is NaN for floats and fails for integers.
 */
final class ReduceMean extends Reduction {
    ReduceMean() {
        super("ReduceMean");
    }

    @Override
    double reduce(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.length;
    }

    @Override
    long reduce(OpContext ctx, DataType t, long[] values) {
        if (values.length == 0) {
            throw ctx.fail("the mean of an empty set of integers is undefined");
        }
        long sum = 0;
        for (long v : values) {
            sum += v;
        }
        return sum / values.length;
    }
}
