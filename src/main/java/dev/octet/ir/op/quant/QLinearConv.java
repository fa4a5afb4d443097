package dev.octet.ir.op.quant;

import dev.octet.ir.DataType;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.op.EvalContext;
import dev.octet.ir.op.InferenceContext;
import dev.octet.ir.op.Operator;
import dev.octet.ir.op.nn.Convolution;
import java.util.List;

/**
 * ONNX QLinearConv (opset 10): the integer convolution of ConvInteger plus the int32 bias, requantized with
 * {@link QuantMath#requantize} and M = {@link QuantMath#multiplier}(x_scale, w_scale[m], y_scale) to y_zero_point's
 * type. Inputs: x, x_scale, x_zero_point, w, w_scale, w_zero_point, y_scale, y_zero_point, B (optional); w_scale and
 * w_zero_point per tensor or per output channel, the others per tensor.
 */
public final class QLinearConv implements Operator {
    @Override
    public String opType() {
        return "QLinearConv";
    }

    @Override
    public List<TensorType> inferTypes(InferenceContext ctx) {
        TensorType x = ctx.inputType(0);
        TensorType w = ctx.inputType(3);
        TensorType yZeroPoint = ctx.inputType(7);
        IntegerConvolution.checkOperand(ctx, x, ctx.inputType(2), "x");
        IntegerConvolution.checkOperand(ctx, w, ctx.inputType(5), "w");
        IntegerConvolution.checkOperand(ctx, yZeroPoint, null, "y_zero_point");
        for (int i : new int[] {1, 4, 6}) {
            if (ctx.inputType(i).dtype() != DataType.FLOAT) {
                throw ctx.fail("input " + i + " (a scale) is " + ctx.inputType(i).dtype() + ", expected float");
            }
        }
        if (ctx.hasInput(8) && (ctx.inputType(8).dtype() != DataType.INT32 || ctx.inputType(8).rank() != 1)) {
            throw ctx.fail("bias B must be an int32 vector, got " + ctx.inputType(8));
        }
        return List.of(new TensorType(yZeroPoint.dtype(), Convolution.outputDims(ctx, x, w)));
    }

    @Override
    public List<Tensor> evaluate(EvalContext ctx) {
        DataType t = ctx.input(7).dtype();
        return List.of(compute(ctx, t.minValue(), t.maxValue()));
    }

    /** The convolution requantized to [lo, hi] (within y_zero_point's type; narrower for a fused ReLU/Clip). */
    static Tensor compute(EvalContext ctx, long lo, long hi) {
        Tensor x = ctx.input(0);
        Tensor w = ctx.input(3);
        int channels = w.dim(0);
        float xScale = (float) IntegerConvolution.scalar(ctx, 1, "x_scale").getDouble(0);
        long xZeroPoint = IntegerConvolution.scalar(ctx, 2, "x_zero_point").getLong(0);
        Tensor wScale = ctx.input(4);
        if (wScale.size() != 1 && wScale.size() != channels) {
            throw ctx.fail("w_scale has " + wScale.size() + " values, expected 1 or " + channels);
        }
        long[] wZeroPoint = IntegerConvolution.perChannel(ctx, 5, channels, "w_zero_point");
        float yScale = (float) IntegerConvolution.scalar(ctx, 6, "y_scale").getDouble(0);
        Tensor yZeroPoint = IntegerConvolution.scalar(ctx, 7, "y_zero_point");
        long[] bias = IntegerConvolution.perChannel(ctx, 8, channels, "B");
        if (ctx.hasInput(8) && ctx.input(8).size() != channels) {
            throw ctx.fail("B has " + ctx.input(8).size() + " values, expected " + channels);
        }
        float[] multiplier = new float[channels];
        for (int m = 0; m < channels; m++) {
            float sw = (float) wScale.getDouble(wScale.size() == 1 ? 0 : m);
            multiplier[m] = QuantMath.multiplier(xScale, sw, yScale);
        }
        IntegerConvolution.Result r = IntegerConvolution.compute(ctx, x, xZeroPoint, w, wZeroPoint);
        DataType t = yZeroPoint.dtype();
        long zp = yZeroPoint.getLong(0);
        byte[] y = new byte[r.acc().length];
        for (int i = 0; i < y.length; i++) {
            int m = r.channelOf(i);
            int acc = r.acc()[i] + (int) bias[m]; // int32 addition, as the accumulator it models
            y[i] = (byte) QuantMath.requantize(acc, multiplier[m], zp, lo, hi);
        }
        return Tensor.ofBytes(t, r.shape(), y);
    }
}
