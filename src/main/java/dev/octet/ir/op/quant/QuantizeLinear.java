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
 * ONNX QuantizeLinear (opsets 10 and 13): y = saturate(rne(x / y_scale) + y_zero_point), per tensor or (opset 13)
 * per axis. The output type is the zero point's (uint8 or int8), uint8 with zero point 0 when it is absent.
 */
final class QuantizeLinear implements Operator {
    @Override
    public String opType() {
        return "QuantizeLinear";
    }

    @Override
    public List<TensorType> inferTypes(InferenceContext ctx) {
        TensorType x = ctx.inputType(0);
        TensorType zeroPoint = ctx.hasInput(2) ? ctx.inputType(2) : null;
        checkInputType(ctx, x);
        QuantAxis.resolve(ctx, x, ctx.inputType(1), zeroPoint);
        return List.of(new TensorType(outputType(ctx, zeroPoint), x.dims()));
    }

    @Override
    public List<Tensor> evaluate(EvalContext ctx) {
        Tensor x = ctx.input(0);
        Tensor scale = ctx.input(1);
        Tensor zeroPoint = ctx.hasInput(2) ? ctx.input(2) : null;
        QuantAxis axis = QuantAxis.resolve(ctx, x.type(), scale.type(), zeroPoint == null ? null : zeroPoint.type());
        DataType out = outputType(ctx, zeroPoint == null ? null : zeroPoint.type());
        float[] scales = scale.floats();
        byte[] y = new byte[x.size()]; // the form int8 kernels take (see Tensor.ofBytes)
        for (int i = 0; i < y.length; i++) {
            int c = axis.channelOf(i);
            float v = x.dtype() == DataType.INT32 ? (float) x.longs()[i] : x.floats()[i];
            y[i] = (byte) QuantMath.quantize(v, scales[c], zeroPoint == null ? 0 : zeroPoint.longs()[c], out);
        }
        return List.of(Tensor.ofBytes(out, x.shape(), y));
    }

    private static void checkInputType(OpContext ctx, TensorType x) {
        switch (x.dtype()) {
            case FLOAT, FLOAT16, BFLOAT16, INT32 -> { }
            default -> throw ctx.fail("input must be float or int32, got " + x);
        }
    }

    private static DataType outputType(OpContext ctx, TensorType zeroPoint) {
        if (zeroPoint == null) {
            return DataType.UINT8;
        }
        if (zeroPoint.dtype() != DataType.UINT8 && zeroPoint.dtype() != DataType.INT8) {
            throw ctx.unsupported("zero point of type " + zeroPoint.dtype() + " (Octet quantizes to uint8 and int8)");
        }
        return zeroPoint.dtype();
    }
}
