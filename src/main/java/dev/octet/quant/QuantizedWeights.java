package dev.octet.quant;

import dev.octet.ir.DataType;
import dev.octet.ir.Tensor;
import dev.octet.ir.op.quant.QuantMath;

/**
 * A convolution's weights quantized symmetrically (zero point 0) per output channel (axis 0) or per tensor, with
 * {@link QuantMath#weightScale} and {@link QuantMath#quantize}, clamped to ±qmax (127, or 63 for 7-bit weights).
 *
 * @param values the INT8 weights, same shape as the float ones
 * @param scales one scale per output channel (length 1 where per tensor)
 */
record QuantizedWeights(Tensor values, float[] scales) {
    static QuantizedWeights of(Tensor w, long qmax, boolean perChannel) {
        float[] f = w.floats();
        int channels = perChannel ? w.dim(0) : 1;
        int per = f.length / channels;
        float[] scales = new float[channels];
        long[] q = new long[f.length];
        for (int c = 0; c < channels; c++) {
            float maxAbs = 0f;
            for (int i = c * per; i < (c + 1) * per; i++) {
                maxAbs = Math.max(maxAbs, Math.abs(f[i]));
            }
            scales[c] = QuantMath.weightScale(maxAbs, qmax);
            for (int i = c * per; i < (c + 1) * per; i++) {
                q[i] = Math.clamp(QuantMath.quantize(f[i], scales[c], 0, DataType.INT8), -qmax, qmax);
            }
        }
        return new QuantizedWeights(Tensor.ofLongs(DataType.INT8, w.shape(), q), scales);
    }

    /** The scale of output channel {@code o}. */
    float scale(int o) {
        return scales.length == 1 ? scales[0] : scales[o];
    }
}
