package dev.octet.ir.op.nn;

import dev.octet.ir.op.nn.ResizeSettings.Rounding;
import dev.octet.ir.op.nn.ResizeSettings.Transform;

/**
 * How one output axis of a Resize reads its input axis: for each output index, {@code width} input indices (1 for
 * nearest, 2 for linear, 4 for cubic) with their weights, or "outside" where tf_crop_and_resize extrapolates.
 * Computed once per axis, in double, from the coordinate transformation and the mode; the N-d resize applies the
 * axes one after another (separable interpolation).
 *
 * <p>Neighbours beyond the input's ends read the edge element (ONNX's reference pads the axis by repeating it);
 * with exclude_outside they get weight 0 and the others are renormalised to sum 1.
 *
 * @param index output index o's taps are {@code index[o * width + t]}, each within [0, inLength)
 * @param outside per output index, whether it takes the extrapolation value; null if none does
 */
record ResizeTaps(int inLength, int outLength, int width, int[] index, double[] weight, boolean[] outside) {

    /**
     * The taps of one axis.
     *
     * @param scale output length / input length: the scale given, or size / input length where sizes are given
     * @param resizedLength the output length before rounding down (input length · scale, or the size given), the
     *     length_resized of ONNX's align_corners, pytorch_half_pixel and tf_crop_and_resize formulas
     * @param roiStart where tf_crop_and_resize's crop starts on this axis, as a fraction of the input (else unused)
     * @param roiEnd where it ends
     */
    static ResizeTaps of(int inLength, int outLength, double scale, double resizedLength, double roiStart,
            double roiEnd, ResizeSettings s) {
        if (inLength == 0 && outLength > 0) {
            throw new IllegalArgumentException("an empty axis has nothing to interpolate");
        }
        int width = switch (s.mode()) {
            case NEAREST -> 1;
            case LINEAR -> 2;
            case CUBIC -> 4;
        };
        int[] index = new int[outLength * width];
        double[] weight = new double[outLength * width];
        boolean[] outside = null;
        for (int o = 0; o < outLength; o++) {
            double x = sourceCoordinate(o, inLength, scale, resizedLength, roiStart, roiEnd, s.transform());
            if (s.transform() == Transform.TF_CROP_AND_RESIZE && (x < 0 || x > inLength - 1)) {
                outside = outside == null ? new boolean[outLength] : outside;
                outside[o] = true;
                continue; // index 0, weight 0: never read
            }
            double[] w = new double[width];
            double first = switch (s.mode()) {
                case NEAREST -> {
                    w[0] = 1;
                    yield nearest(x, s.rounding(), scale);
                }
                case LINEAR -> {
                    double f = Math.floor(x);
                    w[0] = 1 - (x - f);
                    w[1] = x - f;
                    yield f;
                }
                case CUBIC -> {
                    double f = Math.floor(x);
                    cubicWeights(x - f, s.cubicA(), w);
                    yield f - 1;
                }
            };
            if (s.excludeOutside()) {
                double sum = 0;
                for (int t = 0; t < width; t++) {
                    double i = first + t;
                    w[t] = i < 0 || i > inLength - 1 ? 0 : w[t];
                    sum += w[t];
                }
                for (int t = 0; t < width && sum != 0; t++) {
                    w[t] /= sum;
                }
            }
            for (int t = 0; t < width; t++) {
                index[o * width + t] = (int) Math.max(0, Math.min(inLength - 1, first + t));
                weight[o * width + t] = w[t];
            }
        }
        return new ResizeTaps(inLength, outLength, width, index, weight, outside);
    }

    /** The input coordinate of output index o under a coordinate transformation (ONNX's formulas, in double). */
    static double sourceCoordinate(int o, int inLength, double scale, double resizedLength, double roiStart,
            double roiEnd, Transform transform) {
        return switch (transform) {
            case HALF_PIXEL -> (o + 0.5) / scale - 0.5;
            case PYTORCH_HALF_PIXEL -> resizedLength > 1 ? (o + 0.5) / scale - 0.5 : 0;
            case ALIGN_CORNERS -> resizedLength == 1 ? 0 : o * (inLength - 1) / (resizedLength - 1);
            case ASYMMETRIC -> o / scale;
            case TF_HALF_PIXEL_FOR_NN -> (o + 0.5) / scale;
            case TF_CROP_AND_RESIZE -> resizedLength > 1
                    ? roiStart * (inLength - 1) + o * (roiEnd - roiStart) * (inLength - 1) / (resizedLength - 1)
                    : 0.5 * (roiStart + roiEnd) * (inLength - 1);
        };
    }

    private static double nearest(double x, Rounding rounding, double scale) {
        double f = Math.floor(x);
        return switch (rounding) {
            case ROUND_PREFER_FLOOR -> x - f <= 0.5 ? f : f + 1;
            case ROUND_PREFER_CEIL -> x - f < 0.5 ? f : f + 1;
            case FLOOR -> f;
            case CEIL -> Math.ceil(x);
            case LEGACY -> scale < 1 ? Math.ceil(x) : f;
        };
    }

    /**
     * Keys' cubic convolution weights of the taps at floor(x) − 1 .. floor(x) + 2 for the fraction r = x − floor(x),
     * with coefficient a (−0.75 as in PyTorch, −0.5 as in TensorFlow), written as ONNX's reference writes them.
     */
    private static void cubicWeights(double r, double a, double[] w) {
        double r1 = r + 1;
        double q = 1 - r;
        double q1 = q + 1;
        w[0] = ((a * r1 - 5 * a) * r1 + 8 * a) * r1 - 4 * a;
        w[1] = ((a + 2) * r - (a + 3)) * r * r + 1;
        w[2] = ((a + 2) * q - (a + 3)) * q * q + 1;
        w[3] = ((a * q1 - 5 * a) * q1 + 8 * a) * q1 - 4 * a;
    }

    /** Whether output index o reads exactly input index o: the axis can be skipped. */
    boolean isIdentity() {
        if (inLength != outLength || outside != null) {
            return false;
        }
        for (int o = 0; o < outLength; o++) {
            for (int t = 0; t < width; t++) {
                double w = weight[o * width + t];
                if (w != 0 && (index[o * width + t] != o || w != 1)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** For nearest (width 1): the input index each output index copies, −1 where it is outside. */
    int[] nearestSource() {
        int[] source = index.clone();
        for (int o = 0; outside != null && o < outLength; o++) {
            source[o] = outside[o] ? -1 : source[o];
        }
        return source;
    }
}
