package dev.octet.ir.op.math;

/** ONNX GreaterOrEqual (opset 12): a &ge; b elementwise, with broadcasting, as BOOL; NaN compares false. */
final class GreaterOrEqual extends Comparison {
    GreaterOrEqual() {
        super("GreaterOrEqual", Elementwise.NUMERIC);
    }

    @Override
    boolean test(double a, double b) {
        return a >= b;
    }

    @Override
    boolean test(long a, long b) {
        return a >= b;
    }
}
