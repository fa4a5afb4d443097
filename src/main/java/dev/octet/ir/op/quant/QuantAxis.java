package dev.octet.ir.op.quant;

import dev.octet.ir.DataType;
import dev.octet.ir.Dim;
import dev.octet.ir.Shapes;
import dev.octet.ir.TensorType;
import dev.octet.ir.op.OpContext;

/**
 * Which scale and zero point each element uses under QuantizeLinear and DequantizeLinear: one pair for the whole
 * tensor (a scalar, or a 1-element vector), or from opset 13 one pair per index along the {@code axis} attribute
 * (1-D scale and zero point as long as that axis).
 *
 * @param channels number of scale/zero-point pairs (1 for per-tensor)
 * @param inner elements between two consecutive indices of the quantization axis (for per-axis, else 1)
 */
record QuantAxis(int channels, int inner) {
    /** The index of the scale and zero point that element {@code flat} (row-major) uses. */
    int channelOf(int flat) {
        return channels == 1 ? 0 : (flat / inner) % channels;
    }

    /**
     * Checks the scale's and zero point's types against the input's and resolves the quantization axis.
     *
     * @param zeroPoint null where the optional zero point is absent
     */
    static QuantAxis resolve(OpContext ctx, TensorType x, TensorType scale, TensorType zeroPoint) {
        if (scale.dtype() != DataType.FLOAT) {
            throw ctx.fail("scale must be float, got " + scale);
        }
        if (scale.rank() > 1) {
            throw ctx.fail("scale must be a scalar or a 1-D tensor, got " + scale);
        }
        if (zeroPoint != null && (zeroPoint.rank() != scale.rank() || !sameDims(zeroPoint, scale))) {
            throw ctx.fail("zero point " + zeroPoint + " must have the shape of scale " + scale);
        }
        if (scale.rank() == 0 || isOne(scale.dims().get(0))) {
            return new QuantAxis(1, 1);
        }
        if (ctx.opset() < 13) {
            throw ctx.fail("a 1-D scale (per-axis quantization) needs opset 13, the model has opset " + ctx.opset());
        }
        int axis = Shapes.axis(ctx.attrs().getInt("axis", 1), x.rank(), "axis");
        Dim channels = scale.dims().get(0);
        Dim along = x.dims().get(axis);
        if (channels.isKnown() && along.isKnown() && channels.value() != along.value()) {
            throw ctx.fail("scale has " + channels + " values but axis " + axis + " of input " + x + " has "
                    + along);
        }
        int inner = 1;
        for (int d = axis + 1; d < x.rank(); d++) {
            Dim dim = x.dims().get(d);
            inner = dim.isKnown() ? Math.toIntExact(inner * dim.value()) : -1;
            if (inner < 0) {
                break;
            }
        }
        return new QuantAxis(channels.isKnown() ? Math.toIntExact(channels.value()) : -1, inner);
    }

    private static boolean isOne(Dim d) {
        return d.isKnown() && d.value() == 1;
    }

    private static boolean sameDims(TensorType a, TensorType b) {
        for (int i = 0; i < a.rank(); i++) {
            Dim x = a.dims().get(i);
            Dim y = b.dims().get(i);
            if (x.isKnown() && y.isKnown() && x.value() != y.value()) {
                return false;
            }
        }
        return true;
    }
}
