package dev.octet.ir.op.math;

/** ONNX LessOrEqual (opset 12): a &le; b elementwise, with broadcasting, as BOOL; NaN compares false. */
final class LessOrEqual extends Comparison {
    LessOrEqual() {
        super("LessOrEqual", Elementwise.NUMERIC);
    }

    @Override
    boolean test(double a, double b) {
        return a <= b;
    }

    @Override
    boolean test(long a, long b) {
        return a <= b;
    }
}
