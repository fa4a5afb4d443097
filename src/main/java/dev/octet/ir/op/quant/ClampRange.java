package dev.octet.ir.op.quant;

import dev.octet.ir.DataType;
import dev.octet.ir.op.OpContext;

/**
 * The {@code clamp} attribute of Octet's integer operators: [lo, hi] within the output type, where a fused ReLU or
 * Clip narrows the requantize clamp (a ReLU is lo = zp_y). Absent means the output type's whole range.
 */
record ClampRange(long lo, long hi) {
    static final String ATTRIBUTE = "clamp";

    /** The node's range for an output of type {@code t}, checked to lie within it. */
    static ClampRange of(OpContext ctx, DataType t) {
        return named(ctx, t, ATTRIBUTE);
    }

    /** The range held by attribute {@code name} (a node with two clamps: QLinearConvAdd's {@code add_clamp}). */
    static ClampRange named(OpContext ctx, DataType t, String name) {
        long[] c = ctx.attrs().getInts(name, new long[] {t.minValue(), t.maxValue()});
        if (c.length != 2 || c[0] > c[1] || c[0] < t.minValue() || c[1] > t.maxValue()) {
            throw ctx.fail(name + " must be [lo, hi] with " + t.minValue() + " <= lo <= hi <= " + t.maxValue()
                    + " (the output type " + t + "), got " + java.util.Arrays.toString(c));
        }
        return new ClampRange(c[0], c[1]);
    }
}
