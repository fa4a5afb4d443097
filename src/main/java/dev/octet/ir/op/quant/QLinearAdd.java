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
 * Octet's int8 add (domain "octet"), what DequantizeLinear(a), DequantizeLinear(b) → Add → optional Relu →
 * QuantizeLinear computes in integers, by {@link QuantMath#addRequantize} (the one formula). Inputs as ONNX Runtime's
 * com.microsoft.QLinearAdd: A, A_scale, A_zero_point, B, B_scale, B_zero_point, C_scale, C_zero_point, all
 * per tensor; A and B are uint8 or int8 of one shape (no broadcasting); the output has C_zero_point's type.
 * Attribute {@code clamp = [lo, hi]} narrows the output range (a fused ReLU is lo = C_zero_point).
 */
final class QLinearAdd implements Operator {
    @Override
    public String opType() {
        return "QLinearAdd";
    }

    @Override
    public String domain() {
        return "octet";
    }

    @Override
    public List<TensorType> inferTypes(InferenceContext ctx) {
        TensorType a = ctx.inputType(0);
        TensorType b = ctx.inputType(3);
        IntegerConvolution.checkOperand(ctx, a, ctx.inputType(2), "A");
        IntegerConvolution.checkOperand(ctx, b, ctx.inputType(5), "B");
        IntegerConvolution.checkOperand(ctx, ctx.inputType(7), null, "C_zero_point");
        for (int i : new int[] {1, 4, 6}) {
            if (ctx.inputType(i).dtype() != DataType.FLOAT) {
                throw ctx.fail("input " + i + " (a scale) is " + ctx.inputType(i).dtype() + ", expected float");
            }
        }
        if (a.rank() != b.rank()) {
            throw ctx.fail("A " + a + " and B " + b + " must have one shape (no broadcasting)");
        }
        for (int d = 0; d < a.rank(); d++) {
            var x = a.dims().get(d);
            var y = b.dims().get(d);
            if (x.isKnown() && y.isKnown() && x.value() != y.value()) {
                throw ctx.fail("A " + a + " and B " + b + " must have one shape (no broadcasting)");
            }
        }
        DataType t = ctx.inputType(7).dtype();
        ClampRange.of(ctx, t);
        return List.of(new TensorType(t, a.dims()));
    }

    @Override
    public List<Tensor> evaluate(EvalContext ctx) {
        Tensor a = ctx.input(0);
        Tensor b = ctx.input(3);
        if (!Arrays.equals(a.shape(), b.shape())) {
            throw ctx.fail("A " + a.type() + " and B " + b.type() + " must have one shape (no broadcasting)");
        }
        float ya = (float) IntegerConvolution.scalar(ctx, 6, "C_scale").getDouble(0);
        float ma = QuantMath.addMultiplier((float) IntegerConvolution.scalar(ctx, 1, "A_scale").getDouble(0), ya);
        float mb = QuantMath.addMultiplier((float) IntegerConvolution.scalar(ctx, 4, "B_scale").getDouble(0), ya);
        long za = IntegerConvolution.scalar(ctx, 2, "A_zero_point").getLong(0);
        long zb = IntegerConvolution.scalar(ctx, 5, "B_zero_point").getLong(0);
        Tensor zeroPointY = IntegerConvolution.scalar(ctx, 7, "C_zero_point");
        ClampRange c = ClampRange.of(ctx, zeroPointY.dtype());
        long zy = zeroPointY.getLong(0);
        long[] av = a.longs();
        long[] bv = b.longs();
        byte[] y = new byte[av.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = (byte) QuantMath.addRequantize(av[i], za, ma, bv[i], zb, mb, zy, c.lo(), c.hi());
        }
        return List.of(Tensor.ofBytes(zeroPointY.dtype(), a.shape(), y));
    }
}
