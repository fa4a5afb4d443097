package dev.octet.ir.op.math;

/** ONNX Greater: a > b elementwise, with broadcasting, as BOOL; NaN compares false. */
final class Greater extends Comparison {
    Greater() {
        super("Greater", Elementwise.NUMERIC);
    }

    @Override
    boolean test(double a, double b) {
        return a > b;
    }

    @Override
    boolean test(long a, long b) {
        return a > b;
    }
}
