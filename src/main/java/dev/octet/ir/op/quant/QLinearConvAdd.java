package dev.octet.ir.op.quant;

import dev.octet.ir.DataType;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.op.EvalContext;
import dev.octet.ir.op.InferenceContext;
import dev.octet.ir.op.Operator;
import java.util.Arrays;
import java.util.List;

/**
 * An int8 convolution with its residual add fused (domain "octet"): exactly what QLinearConv (or
 * ClampedQLinearConv) followed by octet.QLinearAdd of its output and a residual tensor computes, in one node. The
 * convolution is first requantized to its own y_scale / y_zero_point and clamp (attribute {@code clamp}, as
 * ClampedQLinearConv), then that value and the residual's are added by {@link QuantMath#addRequantize}, clamped to
 * {@code add_clamp} (a fused ReLU after the add; default the output type's range). Only the add's result exists.
 *
 * <p>Inputs: 0-8 QLinearConv's (x, x_scale, x_zero_point, w, w_scale, w_zero_point, y_scale, y_zero_point, B or
 * ""), 9 A_scale and 10 A_zero_point (how the add reads the convolution's output), 11 R (the residual, one shape
 * with the convolution's output), 12 R_scale, 13 R_zero_point, 14 C_scale, 15 C_zero_point (the add's output).
 * Attributes: QLinearConv's, {@code clamp}, {@code add_clamp}. The fp32 sum of the two add terms is commutative,
 * so which operand of the add the convolution was does not matter.
 */
final class QLinearConvAdd implements Operator {
    private final QLinearConv conv = new QLinearConv();

    @Override
    public String opType() {
        return "QLinearConvAdd";
    }

    @Override
    public String domain() {
        return "octet";
    }

    @Override
    public List<TensorType> inferTypes(InferenceContext ctx) {
        TensorType y = conv.inferTypes(ctx).get(0);
        ClampRange.of(ctx, y.dtype());
        IntegerConvolution.checkOperand(ctx, ctx.inputType(11), ctx.inputType(13), "R");
        IntegerConvolution.checkOperand(ctx, ctx.inputType(15), null, "C_zero_point");
        for (int i : new int[] {9, 12, 14}) {
            if (ctx.inputType(i).dtype() != DataType.FLOAT) {
                throw ctx.fail("input " + i + " (a scale) is " + ctx.inputType(i).dtype() + ", expected float");
            }
        }
        if (ctx.inputType(10).dtype() != y.dtype()) {
            throw ctx.fail("A_zero_point is " + ctx.inputType(10).dtype() + ", the convolution's output " + y.dtype());
        }
        TensorType r = ctx.inputType(11);
        if (r.rank() != y.rank()) {
            throw ctx.fail("R " + r + " and the convolution's output " + y + " must have one shape");
        }
        for (int d = 0; d < r.rank(); d++) {
            var a = r.dims().get(d);
            var b = y.dims().get(d);
            if (a.isKnown() && b.isKnown() && a.value() != b.value()) {
                throw ctx.fail("R " + r + " and the convolution's output " + y + " must have one shape");
            }
        }
        DataType t = ctx.inputType(15).dtype();
        ClampRange.named(ctx, t, "add_clamp");
        return List.of(new TensorType(t, y.dims()));
    }

    @Override
    public List<Tensor> evaluate(EvalContext ctx) {
        ClampRange c = ClampRange.of(ctx, ctx.input(7).dtype());
        Tensor y = QLinearConv.compute(ctx, c.lo(), c.hi());
        Tensor r = ctx.input(11);
        if (!Arrays.equals(y.shape(), r.shape())) {
            throw ctx.fail("R " + r.type() + " and the convolution's output " + y.type() + " must have one shape");
        }
        float sc = (float) IntegerConvolution.scalar(ctx, 14, "C_scale").getDouble(0);
        float ma = QuantMath.addMultiplier((float) IntegerConvolution.scalar(ctx, 9, "A_scale").getDouble(0), sc);
        float mr = QuantMath.addMultiplier((float) IntegerConvolution.scalar(ctx, 12, "R_scale").getDouble(0), sc);
        long za = IntegerConvolution.scalar(ctx, 10, "A_zero_point").getLong(0);
        long zr = IntegerConvolution.scalar(ctx, 13, "R_zero_point").getLong(0);
        Tensor zeroPointC = IntegerConvolution.scalar(ctx, 15, "C_zero_point");
        ClampRange out = ClampRange.named(ctx, zeroPointC.dtype(), "add_clamp");
        long zc = zeroPointC.getLong(0);
        long[] yv = y.longs();
        long[] rv = r.longs();
        byte[] z = new byte[yv.length];
        for (int i = 0; i < z.length; i++) {
            z[i] = (byte) QuantMath.addRequantize(yv[i], za, ma, rv[i], zr, mr, zc, out.lo(), out.hi());
        }
        return List.of(Tensor.ofBytes(zeroPointC.dtype(), y.shape(), z));
    }
}
