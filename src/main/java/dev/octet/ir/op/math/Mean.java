package dev.octet.ir.op.math;

/** ONNX Mean: the elementwise mean of its inputs, with broadcasting, computed in double and rounded once. */
final class Mean extends VariadicOp {
    Mean() {
        super("Mean", Elementwise.FLOATS);
    }

    @Override
    double combine(double[] values) {
        double s = 0;
        for (double v : values) {
            s += v;
        }
        return s / values.length;
    }
}
