package dev.octet.ir.op.nn;

import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.op.EvalContext;
import dev.octet.ir.op.InferenceContext;
import dev.octet.ir.op.Operator;
import java.util.List;

/**
 * ONNX AveragePool (opsets 1-11+): the mean of each window, in double, rounded once. The divisor is the number of
 * input elements in the window, or with count_include_pad the number of kernel positions inside the padded input
 * (positions beyond the pads, which ceil_mode can create, never count: as ONNX Runtime and PyTorch).
 */
public final class AveragePool implements Operator {
    @Override
    public String opType() {
        return "AveragePool";
    }

    @Override
    public List<TensorType> inferTypes(InferenceContext ctx) {
        TensorType x = ctx.inputType(0);
        Conv.checkFloat(ctx, x.dtype(), "X");
        return List.of(new TensorType(x.dtype(), PoolWindows.outputDims(ctx, x)));
    }

    @Override
    public List<Tensor> evaluate(EvalContext ctx) {
        Tensor xt = ctx.input(0);
        int[] xShape = xt.shape();
        ConvGeometry.Window g = PoolWindows.geometry(ctx, xShape);
        PoolWindows windows = new PoolWindows(g);
        int planes = xShape[0] * xShape[1];
        int inPlane = g.inSize();
        int outPlane = g.outSize();
        Convolution.checkWork(ctx, planes, outPlane, windows.maxWindow());
        boolean includePad = ctx.attrs().getInt("count_include_pad", 0) != 0;
        double[] x = xt.toDoubles();
        double[] y = new double[planes * outPlane];
        int[] buf = windows.buffer();
        for (int p = 0; p < planes; p++) {
            int xBase = p * inPlane;
            for (int o = 0; o < outPlane; o++) {
                int n = windows.window(o, buf);
                double divisor = includePad ? windows.paddedCount(o) : n;
                double sum = 0;
                for (int j = 0; j < n; j++) {
                    sum += x[xBase + buf[j]];
                }
                y[p * outPlane + o] = sum / divisor;
            }
        }
        int[] shape = xShape.clone();
        System.arraycopy(g.out(), 0, shape, 2, g.rank());
        return List.of(Tensor.ofDoubles(xt.dtype(), shape, y));
    }
}
