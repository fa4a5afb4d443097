package dev.octet.ir.op.quant;

import dev.octet.ir.DataType;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.op.EvalContext;
import dev.octet.ir.op.InferenceContext;
import dev.octet.ir.op.OpContext;
import dev.octet.ir.op.Operator;
import java.util.List;

/**
 * ONNX QLinearMatMul (opset 10): the int32 product of zero-point-centred a and b, requantized to y's type with
 * {@link QuantMath#requantize} and M = a_scale · b_scale / y_scale. The parameters of a are per tensor or per row,
 * those of b per tensor or per column; y's are per tensor.
 *
 * <p>Inputs: a, a_scale, a_zero_point, b, b_scale, b_zero_point, y_scale, y_zero_point, all required.
 */
final class QLinearMatMul implements Operator {
    @Override
    public String opType() {
        return "QLinearMatMul";
    }

    @Override
    public List<TensorType> inferTypes(InferenceContext ctx) {
        TensorType a = ctx.inputType(0);
        TensorType b = ctx.inputType(3);
        checkOperand(ctx, a, ctx.inputType(1), ctx.inputType(2), "a");
        checkOperand(ctx, b, ctx.inputType(4), ctx.inputType(5), "b");
        checkOperand(ctx, ctx.inputType(7), ctx.inputType(6), ctx.inputType(7), "y");
        return List.of(new TensorType(ctx.inputType(7).dtype(), IntegerMatMul.outputDims(ctx, a, b)));
    }

    @Override
    public List<Tensor> evaluate(EvalContext ctx) {
        Tensor a = ctx.input(0);
        Tensor aScale = ctx.input(1);
        Tensor aZero = ctx.input(2);
        Tensor b = ctx.input(3);
        Tensor bScale = ctx.input(4);
        Tensor bZero = ctx.input(5);
        Tensor yScale = ctx.input(6);
        Tensor yZero = ctx.input(7);
        if (yScale.size() != 1 || yZero.size() != 1) {
            throw ctx.unsupported("y_scale and y_zero_point must be scalars (per tensor), got " + yScale.type()
                    + " and " + yZero.type());
        }
        int[] pa = IntegerMatMul.promoteLeft(a.shape());
        int[] pb = IntegerMatMul.promoteRight(b.shape());
        long[] ca = IntegerMatMul.centred(a.longs(), aZero.longs(),
                IntegerMatMul.parameterIndex(ctx, aZero.shape(), pa, true, "a_zero_point"));
        long[] cb = IntegerMatMul.centred(b.longs(), bZero.longs(),
                IntegerMatMul.parameterIndex(ctx, bZero.shape(), pb, false, "b_zero_point"));
        int[] aScaleIndex = IntegerMatMul.parameterIndex(ctx, aScale.shape(), IntegerMatMul.rowShape(pa), true,
                "a_scale");
        int[] bScaleIndex = IntegerMatMul.parameterIndex(ctx, bScale.shape(), IntegerMatMul.columnShape(pb), false,
                "b_scale");
        IntegerMatMul.Product p = IntegerMatMul.multiply(ca, a.shape(), cb, b.shape());
        DataType out = yZero.dtype();
        long[] y = new long[p.values().length];
        for (int o = 0; o < y.length; o++) {
            float m = QuantMath.multiplier(aScale.floats()[aScaleIndex[p.row()[o]]],
                    bScale.floats()[bScaleIndex[p.column()[o]]], yScale.floats()[0]);
            y[o] = QuantMath.requantize(p.values()[o], m, yZero.longs()[0], out.minValue(), out.maxValue());
        }
        return List.of(Tensor.ofLongs(out, p.shape(), y));
    }

    private static void checkOperand(OpContext ctx, TensorType x, TensorType scale, TensorType zeroPoint,
            String name) {
        if (x.dtype() != DataType.UINT8 && x.dtype() != DataType.INT8) {
            throw ctx.fail(name + " must be uint8 or int8, got " + x);
        }
        if (zeroPoint.dtype() != x.dtype()) {
            throw ctx.fail(name + "_zero_point " + zeroPoint + " must have the type " + x.dtype());
        }
        if (scale.dtype() != DataType.FLOAT) {
            throw ctx.fail(name + "_scale must be float, got " + scale);
        }
    }
}
