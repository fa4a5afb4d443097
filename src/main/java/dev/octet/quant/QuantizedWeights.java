package dev.octet.quant;

import dev.octet.ir.DataType;
import dev.octet.ir.Tensor;
import dev.octet.ir.op.quant.QuantMath;

/**
 * A convolution's weights quantized symmetrically (zero point 0) per output channel (axis 0) or per tensor, with
 * {@link QuantMath#weightScale} and {@link QuantMath#quantize}, clamped to ±qmax (127, or 63 for 7-bit weights).
 *
 * <p>Where a channel's weights are so small that its bias would not fit in int32 at scale s_x · s_w (BatchNorm
 * folding with a near-zero gamma does this), the channel's scale is raised to the smallest one at which the bias
 * fits, as ONNX Runtime's quantizer does: such weights quantize to (nearly) 0, which changes the output by far less
 * than the bias's own rounding, and the conv stays int8.
 *
 * @param values the INT8 weights, same shape as the float ones
 * @param scales one scale per output channel (length 1 where per tensor)
 * @param raised how many scales were raised to make room for the bias
 */
record QuantizedWeights(Tensor values, float[] scales, int raised) {
    /** The largest |b_q| the raised scale aims at: int32's maximum with room for rounding. */
    private static final double BIAS_LIMIT = 0x1p31 - 0x1p8;

    /** @param bias the conv's bias, or null; @param inputScale s_x (for the bias room) */
    static QuantizedWeights of(Tensor w, long qmax, boolean perChannel, Tensor bias, float inputScale) {
        float[] f = w.floats();
        int channels = perChannel ? w.dim(0) : 1;
        int per = f.length / channels;
        int outputs = w.dim(0);
        float[] scales = new float[channels];
        long[] q = new long[f.length];
        int raised = 0;
        for (int c = 0; c < channels; c++) {
            float maxAbs = 0f;
            for (int i = c * per; i < (c + 1) * per; i++) {
                maxAbs = Math.max(maxAbs, Math.abs(f[i]));
            }
            scales[c] = QuantMath.weightScale(maxAbs, qmax);
            float maxBias = 0f;
            for (int o = perChannel ? c : 0; bias != null && o < (perChannel ? c + 1 : outputs); o++) {
                maxBias = Math.max(maxBias, Math.abs(bias.floats()[o]));
            }
            float needed = (float) (maxBias / (inputScale * BIAS_LIMIT));
            if (needed > scales[c]) {
                scales[c] = Math.nextUp(needed);
                raised++;
            }
            for (int i = c * per; i < (c + 1) * per; i++) {
                q[i] = Math.clamp(QuantMath.quantize(f[i], scales[c], 0, DataType.INT8), -qmax, qmax);
            }
        }
        return new QuantizedWeights(Tensor.ofLongs(DataType.INT8, w.shape(), q), scales, raised);
    }
}
