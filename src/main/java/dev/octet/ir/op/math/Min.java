package dev.octet.ir.op.math;

/** ONNX Min: the elementwise minimum of its inputs, with broadcasting; NaN wins. */
final class Min extends VariadicOp {
    Min() {
        super("Min", Elementwise.NUMERIC);
    }

    @Override
    double combine(double[] values) {
        double m = values[0];
        for (double v : values) {
            m = Math.min(m, v);
        }
        return m;
    }

    @Override
    long combine(long[] values) {
        long m = values[0];
        for (long v : values) {
            m = Math.min(m, v);
        }
        return m;
    }
}
