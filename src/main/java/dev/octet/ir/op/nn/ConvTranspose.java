package dev.octet.ir.op.nn;

import dev.octet.ir.Dim;
import dev.octet.ir.Shapes;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.op.EvalContext;
import dev.octet.ir.op.InferenceContext;
import dev.octet.ir.op.OpContext;
import dev.octet.ir.op.Operator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * ONNX ConvTranspose (opsets 1-11+): the adjoint of Conv. Each input element scatters its kernel into the output:
 *
 * <pre>
 *   y[n, m, i·stride + k·dilation − padBegin] += x[n, c, i] · w[c, m − group(m)·M/group, k]   (c in m's group)
 * </pre>
 *
 * plus the bias; positions outside the output are dropped. The output size comes from output_shape, auto_pad, or
 * stride·(in − 1) + output_padding + (kernel − 1)·dilation + 1 − pads.
 */
public final class ConvTranspose implements Operator {
    @Override
    public String opType() {
        return "ConvTranspose";
    }

    @Override
    public List<TensorType> inferTypes(InferenceContext ctx) {
        TensorType x = ctx.inputType(0);
        TensorType w = ctx.inputType(1);
        Conv.checkFloat(ctx, x.dtype(), "X");
        if (w.dtype() != x.dtype()) {
            throw ctx.fail("W is " + w.dtype() + ", expected the type of X (" + x.dtype() + ")");
        }
        long[] out = outputShape(ctx, Convolution.sizes(x), Convolution.sizes(w));
        List<Dim> dims = new ArrayList<>();
        dims.add(x.dims().get(0));
        for (int i = 1; i < out.length; i++) {
            dims.add(out[i] < 0 ? Dim.unknown() : Dim.of(out[i]));
        }
        if (ctx.hasInput(2)) {
            Conv.checkBias(ctx, ctx.inputType(2), x.dtype(), dims.get(1));
        }
        return List.of(new TensorType(x.dtype(), dims));
    }

    @Override
    public List<Tensor> evaluate(EvalContext ctx) {
        Tensor xt = ctx.input(0);
        Tensor wt = ctx.input(1);
        int[] xShape = xt.shape();
        int[] wShape = wt.shape();
        int[] shape = Shapes.toIntShape(outputShape(ctx, toLongs(xShape), toLongs(wShape)), "ConvTranspose output");
        double[] x = xt.toDoubles();
        double[] w = wt.toDoubles();
        double[] bias = ctx.hasInput(2) ? ctx.input(2).toDoubles() : null;
        int batch = xShape[0];
        int channels = xShape[1];
        int outChannels = shape[1];
        int group = (int) ctx.attrs().getInt("group", 1);
        if (bias != null && bias.length != outChannels) {
            throw ctx.fail("bias has " + bias.length + " values, expected " + outChannels);
        }
        ConvGeometry.Window g = geometry(ctx, toLongs(wShape)).resolve(Arrays.copyOfRange(xShape, 2, xShape.length));
        int inPlane = g.inSize();
        int outPlane = g.outSize();
        int kSize = g.kernelSize();
        int cg = channels / group;
        int mg = outChannels / group;
        Convolution.checkWork(ctx, batch, channels, mg, inPlane, kSize);

        WindowRows t = WindowRows.of(ctx, g, g.in(), g.out());
        int inW = t.width();
        int stride = t.stride();
        // Input row by input row: it and the few output rows it scatters into stay in cache for all channels.
        double[] y = new double[Shapes.size(shape)];
        if (bias != null) {
            for (int p = 0; p < batch * outChannels; p++) {
                Arrays.fill(y, p * outPlane, (p + 1) * outPlane, bias[p % outChannels]);
            }
        }
        for (int n = 0; n < batch; n++) {
            for (int r = 0; r < t.rows(); r++) {
                for (int m = 0; m < outChannels; m++) {
                    int yPlane = (n * outChannels + m) * outPlane;
                    int firstChannel = (m / mg) * cg;
                    for (int ci = 0; ci < cg; ci++) {
                        int c = firstChannel + ci;
                        int xi = (n * channels + c) * inPlane + r * inW;
                        int wBase = (c * mg + m % mg) * kSize;
                        for (int kp = 0; kp < kSize; kp++) {
                            int base = t.rowBase()[r * kSize + kp];
                            if (base < 0) {
                                continue;
                            }
                            double wv = w[wBase + kp];
                            int yi = yPlane + base + t.colOffset()[kp];
                            for (int ix = t.lo()[kp], hi = t.hi()[kp]; ix < hi; ix++) {
                                y[yi + ix * stride] += wv * x[xi + ix];
                            }
                        }
                    }
                }
            }
        }
        return List.of(Tensor.ofDoubles(xt.dtype(), shape, y));
    }

    /** [N, M, spatial...] with -1 where unknown; W is [C, M / group, K...]. */
    private static long[] outputShape(OpContext ctx, long[] x, long[] w) {
        if (x.length < 3) {
            throw ctx.fail("input X must be N x C x D1 x ... (rank 3 or more), got rank " + x.length);
        }
        if (w.length != x.length) {
            throw ctx.fail("weights W must have the rank of X (" + x.length + "), got rank " + w.length);
        }
        long group = ctx.attrs().getInt("group", 1);
        if (group < 1 || group > Integer.MAX_VALUE) {
            throw ctx.fail("attribute 'group' is " + group + ", expected a positive count");
        }
        if (x[1] >= 0 && w[0] >= 0 && x[1] != w[0]) {
            throw ctx.fail("X has " + x[1] + " channels but W is for " + w[0]);
        }
        if (w[0] >= 0 && w[0] % group != 0) {
            throw ctx.fail("W has " + w[0] + " input channels, not a multiple of group " + group);
        }
        long[] out = new long[x.length];
        out[0] = x[0];
        out[1] = w[1] < 0 ? -1 : w[1] * group;
        long[] spatial = geometry(ctx, w).outputSizes(Convolution.spatial(x));
        System.arraycopy(spatial, 0, out, 2, spatial.length);
        return out;
    }

    private static ConvGeometry geometry(OpContext ctx, long[] w) {
        return ConvGeometry.convTranspose(ctx, Convolution.spatial(w));
    }

    private static long[] toLongs(int[] shape) {
        return Arrays.stream(shape).asLongStream().toArray();
    }
}
