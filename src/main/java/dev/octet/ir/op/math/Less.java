package dev.octet.ir.op.math;

/** ONNX Less: a < b elementwise, with broadcasting, as BOOL; NaN compares false. */
final class Less extends Comparison {
    Less() {
        super("Less", Elementwise.NUMERIC);
    }

    @Override
    boolean test(double a, double b) {
        return a < b;
    }

    @Override
    boolean test(long a, long b) {
        return a < b;
    }
}
