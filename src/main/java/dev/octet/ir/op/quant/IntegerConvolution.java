package dev.octet.ir.op.quant;

import dev.octet.ir.DataType;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.op.EvalContext;
import dev.octet.ir.op.OpContext;
import dev.octet.ir.op.nn.Convolution;

/**
 * The integer convolution of ConvInteger and QLinearConv: for each output, the exact sum of
 * (x − x_zero_point) · (w − w_zero_point[m]) over its window, as an int32 accumulator.
 *
 * <p>It runs on {@link Convolution}'s loop nest, in double, and that is exact: x and w are 8-bit and their zero
 * points of the same type, so every product is an integer of magnitude at most 255 · 255 &lt; 2^16; a window has
 * fewer than 2^31 terms (the weights of one output channel fit a Java array), so every partial sum is an integer
 * below 2^47 &lt; 2^53, which double arithmetic holds exactly in any order. Where the exact sum does not fit int32
 * (it needs windows of tens of thousands of terms at the extremes) it wraps, as ONNX Runtime's int32 accumulator.
 */
final class IntegerConvolution {
    /** Output shape [N, M, spatial...] and the int32 accumulators in row-major order. */
    record Result(int[] shape, int[] acc) {
        /** The output channel of accumulator i. */
        int channelOf(int i) {
            int plane = acc.length / (shape[0] * shape[1]); // spatial sizes are positive, see ConvGeometry
            return (i / plane) % shape[1];
        }
    }

    private IntegerConvolution() {
    }

    /** Checks that a quantized input is 8-bit and that its zero point (if given) has its type. */
    static void checkOperand(OpContext ctx, TensorType t, TensorType zeroPoint, String name) {
        if (t.dtype() != DataType.UINT8 && t.dtype() != DataType.INT8) {
            throw ctx.fail(name + " is " + t.dtype() + ", expected uint8 or int8");
        }
        if (zeroPoint != null && zeroPoint.dtype() != t.dtype()) {
            throw ctx.fail(name + "'s zero point is " + zeroPoint.dtype() + ", expected " + t.dtype());
        }
        if (zeroPoint != null && zeroPoint.rank() > 1) {
            throw ctx.fail(name + "'s zero point must be a scalar or a vector, got " + zeroPoint);
        }
    }

    /**
     * One value per output channel from a per-tensor (one value) or per-channel (M values) input; all zeros where
     * the optional input is absent.
     */
    static long[] perChannel(EvalContext ctx, int input, int channels, String name) {
        long[] out = new long[channels];
        if (!ctx.hasInput(input)) {
            return out;
        }
        Tensor t = ctx.input(input);
        if (t.size() != 1 && t.size() != channels) {
            throw ctx.fail(name + " has " + t.size() + " values, expected 1 or one per output channel (" + channels
                    + ")");
        }
        for (int m = 0; m < channels; m++) {
            out[m] = t.getLong(t.size() == 1 ? 0 : m);
        }
        return out;
    }

    /** A per-tensor input (one element). */
    static Tensor scalar(EvalContext ctx, int input, String name) {
        Tensor t = ctx.input(input);
        if (t.size() != 1) {
            throw ctx.fail(name + " must hold one value (per-tensor), got " + t.size());
        }
        return t;
    }

    /** Σ (x − xZeroPoint)·(w − wZeroPoint[m]) over each window (attributes as Conv's). */
    static Result compute(OpContext ctx, Tensor x, long xZeroPoint, Tensor w, long[] wZeroPoint) {
        double[] xd = new double[x.size()];
        long[] xv = x.longs();
        for (int i = 0; i < xd.length; i++) {
            xd[i] = xv[i] - xZeroPoint;
        }
        double[] wd = new double[w.size()];
        long[] wv = w.longs();
        int perChannel = w.dim(0) == 0 ? 0 : wd.length / w.dim(0);
        for (int i = 0; i < wd.length; i++) {
            wd[i] = wv[i] - wZeroPoint[i / perChannel];
        }
        Convolution.Result r = Convolution.compute(ctx, x.shape(), xd, w.shape(), wd, null);
        int[] acc = new int[r.values().length];
        for (int i = 0; i < acc.length; i++) {
            acc[i] = (int) (long) r.values()[i];
        }
        return new Result(r.shape(), acc);
    }
}
