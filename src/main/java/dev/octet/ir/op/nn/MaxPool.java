package dev.octet.ir.op.nn;

import dev.octet.ir.DataType;
import dev.octet.ir.Shapes;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.op.EvalContext;
import dev.octet.ir.op.InferenceContext;
import dev.octet.ir.op.Operator;
import java.util.List;

/**
 * ONNX MaxPool (opsets 1-12+): the largest input in each window, padding ignored; kernel_shape, strides, pads or
 * auto_pad, dilations, ceil_mode. The optional Indices output holds the flat index of each maximum in X (the first
 * one on ties), with the spatial part row-major, or column-major where storage_order is 1. NaN wins (as numpy).
 */
public final class MaxPool implements Operator {
    @Override
    public String opType() {
        return "MaxPool";
    }

    @Override
    public List<TensorType> inferTypes(InferenceContext ctx) {
        TensorType x = ctx.inputType(0);
        DataType t = x.dtype();
        if (!t.isFloat() && t != DataType.INT8 && t != DataType.UINT8) {
            throw ctx.fail("X is " + t + ", expected a float type, int8 or uint8");
        }
        long order = ctx.attrs().getInt("storage_order", 0);
        if (order != 0 && order != 1) {
            throw ctx.fail("attribute 'storage_order' is " + order + ", expected 0 (row-major) or 1 (column-major)");
        }
        var dims = PoolWindows.outputDims(ctx, x);
        return List.of(new TensorType(t, dims), new TensorType(DataType.INT64, dims));
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
        boolean columnMajor = ctx.attrs().getInt("storage_order", 0) == 1;
        boolean wantIndices = ctx.outputCount() > 1 && !ctx.node().outputs().get(1).isEmpty();
        double[] x = xt.toDoubles();
        double[] y = new double[planes * outPlane];
        long[] indices = wantIndices ? new long[y.length] : null;
        int[] buf = windows.buffer();
        for (int p = 0; p < planes; p++) {
            int xBase = p * inPlane;
            for (int o = 0; o < outPlane; o++) {
                int n = windows.window(o, buf);
                int best = buf[0];
                for (int j = 1; j < n; j++) {
                    double v = x[xBase + buf[j]];
                    double b = x[xBase + best];
                    if (v > b || (Double.isNaN(v) && !Double.isNaN(b))) {
                        best = buf[j];
                    }
                }
                y[p * outPlane + o] = x[xBase + best];
                if (wantIndices) {
                    indices[p * outPlane + o] = (long) xBase + (columnMajor ? columnMajor(best, g.in()) : best);
                }
            }
        }
        int[] shape = xShape.clone();
        System.arraycopy(g.out(), 0, shape, 2, g.rank());
        Tensor yt;
        if (xt.dtype().isFloat()) {
            yt = Tensor.ofDoubles(xt.dtype(), shape, y); // exact: every value is an input value
        } else {
            long[] l = new long[y.length];
            for (int i = 0; i < l.length; i++) {
                l[i] = (long) y[i];
            }
            yt = Tensor.of(xt.dtype(), shape, l);
        }
        return wantIndices ? List.of(yt, Tensor.of(DataType.INT64, shape, indices)) : List.of(yt);
    }

    /** A row-major offset within a plane of the given sizes, re-expressed column-major (first axis fastest). */
    private static int columnMajor(int rowMajor, int[] dims) {
        int[] c = new int[dims.length];
        Convolution.unravel(rowMajor, dims, c);
        int index = 0;
        for (int a = dims.length - 1; a >= 0; a--) {
            index = index * dims[a] + c[a];
        }
        return index;
    }
}
