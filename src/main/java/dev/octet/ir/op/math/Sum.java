package dev.octet.ir.op.math;

/** ONNX Sum: the elementwise sum of its inputs, with broadcasting, accumulated in double and rounded once. */
final class Sum extends VariadicOp {
    Sum() {
        super("Sum", Elementwise.FLOATS);
    }

    @Override
    double combine(double[] values) {
        double s = 0;
        for (double v : values) {
            s += v;
        }
        return s;
    }
}
