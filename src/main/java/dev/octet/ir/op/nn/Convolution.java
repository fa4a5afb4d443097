package dev.octet.ir.op.nn;

import dev.octet.ir.Dim;
import dev.octet.ir.Shapes;
import dev.octet.ir.TensorType;
import dev.octet.ir.op.OpContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The convolution of Conv, ConvInteger and QLinearConv, written once: its shape rule and its loop nest, in double.
 *
 * <pre>
 *   y[n, m, o] = bias[m] + Σ_{c ∈ group(m)} Σ_k w[m, c, k] · x[n, c, o·stride + k·dilation − padBegin]
 * </pre>
 *
 * with x zero outside the input, o and k running over all spatial axes (1-D, 2-D, 3-D... through flattened
 * spatial indices). Accumulating in double makes integer convolutions exact too: see {@code IntegerConvolution}.
 */
public final class Convolution {
    /** Reference work (multiply-adds) allowed for one node: hours of plain Java beyond it. */
    static final long MAX_WORK = 1L << 40;

    /** A computed convolution: output shape [N, M, spatial...] and values in row-major order. */
    public record Result(int[] shape, double[] values) {
    }

    private Convolution() {
    }

    /**
     * Output dims [N, M, spatial...] of a convolution of x by w (unknown where they cannot be known yet); fails
     * on ranks, channel counts or a group that do not fit, and on attributes that give no output.
     */
    public static List<Dim> outputDims(OpContext ctx, TensorType x, TensorType w) {
        long[] out = outputShape(ctx, sizes(x), sizes(w));
        List<Dim> dims = new ArrayList<>();
        dims.add(x.dims().get(0));
        dims.add(w.dims().get(0));
        for (int i = 2; i < out.length; i++) {
            dims.add(out[i] < 0 ? Dim.unknown() : Dim.of(out[i]));
        }
        return dims;
    }

    /**
     * Computes the convolution.
     *
     * @param x input values, shape [N, C, D1...]
     * @param w weights, shape [M, C / group, K1...]
     * @param bias M values, or null for none
     */
    public static Result compute(OpContext ctx, int[] xShape, double[] x, int[] wShape, double[] w, double[] bias) {
        long[] outShape = outputShape(ctx, toLongs(xShape), toLongs(wShape));
        int batch = xShape[0];
        int channels = xShape[1];
        int outChannels = wShape[0];
        int group = (int) ctx.attrs().getInt("group", 1);
        if (bias != null && bias.length != outChannels) {
            throw ctx.fail("bias has " + bias.length + " values, expected one per output channel (" + outChannels
                    + ")");
        }
        ConvGeometry.Window g = ConvGeometry.conv(ctx, spatial(toLongs(wShape))).resolve(
                Arrays.copyOfRange(xShape, 2, xShape.length));
        int[] shape = Shapes.toIntShape(outShape, "convolution output");
        int inPlane = g.inSize();
        int outPlane = g.outSize();
        int kSize = g.kernelSize();
        int cg = channels / group;
        int mg = outChannels / group;
        checkWork(ctx, batch, outChannels, cg, outPlane, kSize);

        WindowRows t = WindowRows.of(ctx, g, g.out(), g.in());
        int rows = t.rows();
        int outW = t.width();
        int stride = t.stride();
        // Output row by output row: the input rows under one output row (channels x kernel height) stay in cache
        // while every output channel reads them, and each output row stays in L1 while it is summed.
        double[] y = new double[Shapes.size(shape)];
        for (int n = 0; n < batch; n++) {
            for (int r = 0; r < rows; r++) {
                for (int m = 0; m < outChannels; m++) {
                    int yi = (n * outChannels + m) * outPlane + r * outW;
                    if (bias != null) {
                        Arrays.fill(y, yi, yi + outW, bias[m]);
                    }
                    int xGroup = (n * channels + (m / mg) * cg) * inPlane;
                    for (int ci = 0; ci < cg; ci++) {
                        int xPlane = xGroup + ci * inPlane;
                        int wBase = (m * cg + ci) * kSize;
                        for (int kp = 0; kp < kSize; kp++) {
                            int base = t.rowBase()[r * kSize + kp];
                            if (base < 0) {
                                continue;
                            }
                            double wv = w[wBase + kp];
                            int xi = xPlane + base + t.colOffset()[kp];
                            for (int ox = t.lo()[kp], hi = t.hi()[kp]; ox < hi; ox++) {
                                y[yi + ox] += wv * x[xi + ox * stride];
                            }
                        }
                    }
                }
            }
        }
        return new Result(shape, y);
    }

    /** The output shape with -1 where unknown; input shapes may hold -1 too. */
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
        if (x[1] >= 0 && w[1] >= 0 && x[1] != w[1] * group) {
            throw ctx.fail("X has " + x[1] + " channels but W expects " + w[1] + " per group x " + group
                    + " groups");
        }
        if (w[0] >= 0 && w[0] % group != 0) {
            throw ctx.fail("W has " + w[0] + " output channels, not a multiple of group " + group);
        }
        long[] out = new long[x.length];
        out[0] = x[0];
        out[1] = w[0];
        long[] spatial = ConvGeometry.conv(ctx, spatial(w)).outputSizes(spatial(x));
        System.arraycopy(spatial, 0, out, 2, spatial.length);
        return out;
    }

    /** Fails where the product of the factors (the multiply-adds of a node) exceeds {@link #MAX_WORK}. */
    static void checkWork(OpContext ctx, long... factors) {
        double work = 1;
        for (long f : factors) {
            work *= f;
        }
        if (work > MAX_WORK) {
            throw ctx.unsupported(String.format("the reference implementation does not run %.3g multiply-adds "
                    + "for one node (limit 2^40)", work));
        }
    }

    /** Row-major coordinates of a flat index. */
    static void unravel(int flat, int[] dims, int[] coords) {
        for (int a = dims.length - 1; a >= 0; a--) {
            coords[a] = flat % dims[a];
            flat /= dims[a];
        }
    }

    static long[] sizes(TensorType t) {
        return t.dims().stream().mapToLong(d -> d.isKnown() ? d.value() : -1).toArray();
    }

    static long[] spatial(long[] shape) {
        return Arrays.copyOfRange(shape, 2, shape.length);
    }

    private static long[] toLongs(int[] shape) {
        return Arrays.stream(shape).asLongStream().toArray();
    }
}
