package dev.octet.ir.op.math;

import dev.octet.ir.DataType;
import java.util.EnumSet;

/** ONNX Equal: a == b elementwise, with broadcasting, as BOOL (numbers and booleans). */
final class Equal extends Comparison {
    Equal() {
        super("Equal", Elementwise.union(Elementwise.NUMERIC, EnumSet.of(DataType.BOOL)));
    }

    @Override
    boolean test(double a, double b) {
        return a == b;
    }

    @Override
    boolean test(long a, long b) {
        return a == b;
    }
}
