package dev.octet.ir.op.nn;

import dev.octet.ir.op.OpContext;
import dev.octet.ir.op.nn.ResizeSettings.Transform;
import java.util.Arrays;

/**
 * The geometry of a Resize, per axis: output length, scale, the output length before rounding down (ONNX's
 * length_resized) and tf_crop_and_resize's region of interest. Input lengths may be unknown (−1) during type
 * inference; the output lengths that depend on them are then −1 too.
 *
 * @param roi starts then ends, 2 × rank fractions of the input; null where no crop applies
 */
record ResizeAxes(long[] outLengths, double[] scales, double[] resizedLengths, double[] roi) {

    double roiStart(int axis) {
        return roi == null ? 0 : roi[axis];
    }

    double roiEnd(int axis) {
        return roi == null ? 1 : roi[axis + outLengths.length];
    }

    /** Whether the axis keeps its length and its coordinates (output index i reads input index i). */
    boolean keepsAxis(int axis) {
        return scales[axis] == 1 && roiStart(axis) == 0 && roiEnd(axis) == 1;
    }

    /**
     * From scales: output length floor(input length · scale), times the roi's length under tf_crop_and_resize (as
     * ONNX specifies). Scales must be positive and finite.
     */
    static ResizeAxes fromScales(OpContext ctx, long[] in, double[] scales, double[] roi, ResizeSettings s) {
        if (scales.length != in.length) {
            throw ctx.fail("scales has " + scales.length + " values for an input of rank " + in.length);
        }
        double[] crop = cropRoi(ctx, roi, in.length, s);
        long[] out = new long[in.length];
        double[] resized = new double[in.length];
        for (int a = 0; a < in.length; a++) {
            if (!(scales[a] > 0) || Double.isInfinite(scales[a])) {
                throw ctx.fail("scales must be positive and finite, got " + Arrays.toString(scales));
            }
            double roiLength = crop == null ? 1 : crop[a + in.length] - crop[a];
            resized[a] = in[a] * roiLength * scales[a];
            out[a] = in[a] < 0 ? -1 : (long) Math.floor(resized[a]);
            if (in[a] >= 0 && !(resized[a] < OutputSizeLimit.MAX_ELEMENTS + 1.0)) {
                throw ctx.fail("scale " + scales[a] + " makes axis " + a + " " + resized[a]
                        + " elements long, more than the 2^28 Octet allocates");
            }
        }
        return new ResizeAxes(out, scales.clone(), resized, crop);
    }

    /** From sizes: the output lengths given; scale = size / input length. */
    static ResizeAxes fromSizes(OpContext ctx, long[] in, long[] sizes, double[] roi, ResizeSettings s) {
        if (sizes.length != in.length) {
            throw ctx.fail("sizes has " + sizes.length + " values for an input of rank " + in.length);
        }
        double[] crop = cropRoi(ctx, roi, in.length, s);
        double[] scales = new double[in.length];
        double[] resized = new double[in.length];
        for (int a = 0; a < in.length; a++) {
            if (sizes[a] < 0) {
                throw ctx.fail("sizes must not be negative, got " + Arrays.toString(sizes));
            }
            if (in[a] == 0 && sizes[a] > 0) {
                throw ctx.fail("cannot resize the empty axis " + a + " to " + sizes[a] + " elements");
            }
            scales[a] = in[a] <= 0 ? Double.NaN : (double) sizes[a] / in[a];
            resized[a] = sizes[a];
        }
        return new ResizeAxes(sizes.clone(), scales, resized, crop);
    }

    private static double[] cropRoi(OpContext ctx, double[] roi, int rank, ResizeSettings s) {
        if (s.transform() != Transform.TF_CROP_AND_RESIZE) {
            return null;
        }
        if (roi == null || roi.length != 2 * rank) {
            throw ctx.fail("tf_crop_and_resize needs roi with 2 × rank = " + 2 * rank + " values, got "
                    + (roi == null ? "none" : Arrays.toString(roi)));
        }
        return roi.clone();
    }
}
