package dev.octet.quant;

import dev.octet.ir.DataType;
import dev.octet.ir.Tensor;
import dev.octet.ir.op.quant.QuantMath;

/**
 * A convolution's bias as int32 at scale s_x · s_w[o] (each scale product in fp32, as ONNX Runtime computes it):
 * b_q[o] = rne(b[o] / (s_x · s_w[o])). Null where a value does not fit in int32 (the conv then stays float).
 *
 * @param values the INT32 bias
 * @param scales s_x · s_w[o] per output channel (length 1 where the weights are per tensor)
 */
record QuantizedBias(Tensor values, float[] scales) {
    static QuantizedBias of(Tensor bias, float inputScale, QuantizedWeights weights) {
        float[] b = bias.floats();
        float[] scales = new float[weights.scales().length];
        for (int c = 0; c < scales.length; c++) {
            scales[c] = inputScale * weights.scales()[c];
        }
        long[] q = new long[b.length];
        for (int o = 0; o < b.length; o++) {
            float s = scales.length == 1 ? scales[0] : scales[o];
            float v = QuantMath.rne(b[o] / s);
            if (!(v >= -0x1p31f && v < 0x1p31f)) { // also NaN and ±inf
                return null;
            }
            q[o] = (long) v;
        }
        return new QuantizedBias(Tensor.ofLongs(DataType.INT32, bias.shape(), q), scales);
    }
}
