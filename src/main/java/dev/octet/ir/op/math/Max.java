package dev.octet.ir.op.math;

/** ONNX Max: the elementwise maximum of its inputs, with broadcasting; NaN wins. */
final class Max extends VariadicOp {
    Max() {
        super("Max", Elementwise.NUMERIC);
    }

    @Override
    double combine(double[] values) {
        double m = values[0];
        for (double v : values) {
            m = Math.max(m, v);
        }
        return m;
    }

    @Override
    long combine(long[] values) {
        long m = values[0];
        for (long v : values) {
            m = Math.max(m, v);
        }
        return m;
    }
}
