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
 * ONNX DequantizeLinear (opsets 10 and 13): y = (x − x_zero_point) · x_scale in fp32, per tensor or (opset 13) per
 * axis. Inputs are uint8, int8 or int32; an int32 input has no zero point other than 0 (it is a bias, quantized at
 * scale s_x · s_w).
 */
final class DequantizeLinear implements Operator {
    @Override
    public String opType() {
        return "DequantizeLinear";
    }

    @Override
    public List<TensorType> inferTypes(InferenceContext ctx) {
        TensorType x = ctx.inputType(0);
        TensorType zeroPoint = ctx.hasInput(2) ? ctx.inputType(2) : null;
        check(ctx, x, zeroPoint);
        QuantAxis.resolve(ctx, x, ctx.inputType(1), zeroPoint);
        Tensor zp = ctx.constant(2);
        if (x.dtype() == DataType.INT32 && zp != null) {
            checkInt32ZeroPoint(ctx, zp);
        }
        return List.of(new TensorType(DataType.FLOAT, x.dims()));
    }

    @Override
    public List<Tensor> evaluate(EvalContext ctx) {
        Tensor x = ctx.input(0);
        Tensor scale = ctx.input(1);
        Tensor zeroPoint = ctx.hasInput(2) ? ctx.input(2) : null;
        check(ctx, x.type(), zeroPoint == null ? null : zeroPoint.type());
        QuantAxis axis = QuantAxis.resolve(ctx, x.type(), scale.type(), zeroPoint == null ? null : zeroPoint.type());
        if (x.dtype() == DataType.INT32 && zeroPoint != null) {
            checkInt32ZeroPoint(ctx, zeroPoint);
        }
        float[] scales = scale.floats();
        long[] q = x.longs();
        float[] y = new float[q.length];
        for (int i = 0; i < y.length; i++) {
            int c = axis.channelOf(i);
            y[i] = QuantMath.dequantize(q[i], zeroPoint == null ? 0 : zeroPoint.longs()[c], scales[c]);
        }
        return List.of(Tensor.ofFloats(x.shape(), y));
    }

    private static void check(OpContext ctx, TensorType x, TensorType zeroPoint) {
        switch (x.dtype()) {
            case UINT8, INT8, INT32 -> { }
            default -> throw ctx.fail("input must be uint8, int8 or int32, got " + x);
        }
        if (zeroPoint != null && zeroPoint.dtype() != x.dtype()) {
            throw ctx.fail("zero point " + zeroPoint + " must have the input's type " + x.dtype());
        }
    }

    private static void checkInt32ZeroPoint(OpContext ctx, Tensor zeroPoint) {
        for (long z : zeroPoint.longs()) {
            if (z != 0) {
                throw ctx.fail("an int32 input must have zero point 0, got " + z);
            }
        }
    }
}
