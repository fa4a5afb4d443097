package dev.octet.ir.op.nn;

import dev.octet.ir.DataType;
import dev.octet.ir.Shapes;
import dev.octet.ir.Tensor;
import dev.octet.ir.op.OpContext;
import dev.octet.ir.op.nn.ResizeSettings.Mode;
import java.util.Arrays;

/**
 * The one Resize engine, for Resize (all versions) and Upsample: per axis, the taps ({@link ResizeTaps}) are
 * computed once; then the axes are applied one after another. Nearest copies elements ({@link AxisGather}, exact
 * for every type); linear and cubic accumulate in double and round once to the output type. Axes whose taps are
 * the identity are skipped, so N-d inputs are interpolated only on the axes that are scaled.
 */
final class ResizeEngine {
    private ResizeEngine() {
    }

    static Tensor resize(OpContext ctx, Tensor x, ResizeAxes axes, ResizeSettings s) {
        int rank = x.rank();
        int[] outShape = OutputSizeLimit.check(ctx, axes.outLengths());
        ResizeTaps[] taps = new ResizeTaps[rank];
        for (int a = 0; a < rank; a++) {
            if (x.dim(a) == 0 && outShape[a] > 0) {
                throw ctx.fail("cannot resize the empty axis " + a + " to " + outShape[a] + " elements");
            }
            taps[a] = ResizeTaps.of(x.dim(a), outShape[a], axes.scales()[a], axes.resizedLengths()[a],
                    axes.roiStart(a), axes.roiEnd(a), s);
        }
        if (s.mode() == Mode.NEAREST) {
            int[][] source = new int[rank][];
            for (int a = 0; a < rank; a++) {
                source[a] = taps[a].isIdentity() ? null : taps[a].nearestSource();
            }
            return AxisGather.gather(x, source, AxisGather.fillValue(x.dtype(), s.extrapolationValue()));
        }
        checkSupported(ctx, x.dtype(), s);
        double[] v = x.toDoubles();
        int[] shape = x.shape();
        for (int a : AxisGather.shrinkingFirst(shape, outShape)) {
            if (!taps[a].isIdentity()) {
                v = interpolate(v, shape, a, taps[a]);
                shape[a] = outShape[a];
            }
        }
        extrapolate(v, outShape, taps, s.extrapolationValue());
        return Tensor.ofDoubles(x.dtype(), outShape, v);
    }

    /** Linear and cubic interpolate float types only: how to round them to integers is not specified. */
    static void checkSupported(OpContext ctx, DataType dtype, ResizeSettings s) {
        if (s.mode() != Mode.NEAREST && !dtype.isFloat()) {
            throw ctx.unsupported(s.mode().name().toLowerCase() + " Resize of " + dtype
                    + " (linear and cubic are implemented for float types)");
        }
    }

    /** Applies one axis's taps; each output is the sum, in tap order, of weight · input (zero weights skipped). */
    private static double[] interpolate(double[] v, int[] shape, int axis, ResizeTaps taps) {
        int in = shape[axis];
        int out = taps.outLength();
        int width = taps.width();
        int outer = Shapes.size(Arrays.copyOfRange(shape, 0, axis));
        int inner = Shapes.size(Arrays.copyOfRange(shape, axis + 1, shape.length));
        double[] r = new double[Math.multiplyExact(outer, Math.multiplyExact(out, inner))];
        for (int p = 0; p < outer; p++) {
            for (int o = 0; o < out; o++) {
                int dst = (p * out + o) * inner;
                for (int t = 0; t < width; t++) {
                    double w = taps.weight()[o * width + t];
                    if (w == 0) {
                        continue;
                    }
                    int src = (p * in + taps.index()[o * width + t]) * inner;
                    for (int i = 0; i < inner; i++) {
                        r[dst + i] += w * v[src + i];
                    }
                }
            }
        }
        return r;
    }

    /** Sets every output element that is outside the crop on any axis to the extrapolation value. */
    private static void extrapolate(double[] v, int[] shape, ResizeTaps[] taps, double value) {
        int[] strides = Shapes.strides(shape);
        for (int a = 0; a < shape.length; a++) {
            boolean[] outside = taps[a].outside();
            if (outside == null) {
                continue;
            }
            for (int flat = 0; flat < v.length; flat++) {
                if (outside[(flat / strides[a]) % shape[a]]) {
                    v[flat] = value;
                }
            }
        }
    }
}
