package dev.octet.quant;

import dev.octet.ir.DataType;
import dev.octet.ir.Tensor;

/**
 * Bias correction (Nagel et al., "Data-Free Quantization", 2019, in its empirical form): int8 weights W_q = W + ΔW
 * shift the mean of each output channel by E[ΔW·x] over the calibration inputs; subtracting that from the bias
 * removes the systematic part of the weight rounding error. Because a conv is linear, E over every output pixel of
 * (ΔW * x)[o] is ΔW[o] applied to the mean input patch of o's group ({@link ConvInputMeans}), padding included.
 * The activation's own rounding is not part of it (its error has mean about 0 with round-to-nearest).
 */
final class BiasCorrection {
    private BiasCorrection() {
    }

    /**
     * The shift E[(W_q − W)·x] of each output channel.
     *
     * @param w the float weights [O, C/g, kh, kw]
     * @param q the quantized weights
     * @param meanPatch the conv's mean input patch [C][kh][kw]
     * @param group the conv's group count
     */
    static float[] shift(Tensor w, QuantizedWeights q, float[] meanPatch, int group) {
        int outputs = w.dim(0);
        int perGroup = w.dim(1);
        int k = w.dim(2) * w.dim(3);
        int per = perGroup * k;
        float[] f = w.floats();
        long[] v = q.values().longs();
        float[] shift = new float[outputs];
        for (int o = 0; o < outputs; o++) {
            float s = q.scales().length == 1 ? q.scales()[0] : q.scales()[o];
            int firstChannel = o / (outputs / group) * perGroup;
            double sum = 0;
            for (int i = 0; i < per; i++) {
                double error = (double) v[o * per + i] * s - f[o * per + i];
                sum += error * meanPatch[firstChannel * k + i];
            }
            shift[o] = (float) sum;
        }
        return shift;
    }

    /** The bias minus the shift (a zero bias where the conv has none). */
    static Tensor corrected(Tensor bias, float[] shift) {
        float[] b = bias == null ? new float[shift.length] : bias.floats().clone();
        for (int o = 0; o < b.length; o++) {
            b[o] -= shift[o];
        }
        return Tensor.ofFloats(new int[] {b.length}, b);
    }

    /** Whether a tensor is an fp32 bias this correction can replace. */
    static boolean correctable(Tensor bias) {
        return bias == null || bias.dtype() == DataType.FLOAT;
    }
}
