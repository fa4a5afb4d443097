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
 * ONNX ConvInteger (opset 10): the convolution of 8-bit x and w with zero points subtracted, exact, as int32.
 * x_zero_point is per tensor, w_zero_point per tensor or per output channel; attributes as Conv's.
 */
public final class ConvInteger implements Operator {
    @Override
    public String opType() {
        return "ConvInteger";
    }

    @Override
    public List<TensorType> inferTypes(InferenceContext ctx) {
        TensorType x = ctx.inputType(0);
        TensorType w = ctx.inputType(1);
        IntegerConvolution.checkOperand(ctx, x, ctx.hasInput(2) ? ctx.inputType(2) : null, "x");
        IntegerConvolution.checkOperand(ctx, w, ctx.hasInput(3) ? ctx.inputType(3) : null, "w");
        return List.of(new TensorType(DataType.INT32, Convolution.outputDims(ctx, x, w)));
    }

    @Override
    public List<Tensor> evaluate(EvalContext ctx) {
        Tensor x = ctx.input(0);
        Tensor w = ctx.input(1);
        long xZeroPoint = ctx.hasInput(2) ? IntegerConvolution.scalar(ctx, 2, "x_zero_point").getLong(0) : 0;
        long[] wZeroPoint = IntegerConvolution.perChannel(ctx, 3, w.dim(0), "w_zero_point");
        IntegerConvolution.Result r = IntegerConvolution.compute(ctx, x, xZeroPoint, w, wZeroPoint);
        long[] y = new long[r.acc().length];
        for (int i = 0; i < y.length; i++) {
            y[i] = r.acc()[i];
        }
        return List.of(Tensor.of(DataType.INT32, r.shape(), y));
    }
}
