package dev.octet.quant;

import java.util.List;

/**
 * What the quantizer did with one node of the simplified graph.
 *
 * @param index the node's index in the simplified graph
 * @param int8 whether it runs in int8
 * @param reason why (e.g. "int8", "skipped by option (node)", "bias overflows int32", "operator not quantizable")
 * @param activation the folded Relu/Clip and whether it was dropped (implied by the output clamp) or kept, or null
 * @param weightBits 8 or 7 for a quantized conv, 0 otherwise
 * @param weightScaleMin smallest weight scale (0 where there are no quantized weights)
 * @param weightScaleMax largest weight scale
 * @param inputs the quantized inputs' parameters
 * @param output the quantized output's parameters, or null
 * @param biasShift what bias correction subtracted from each output channel's bias, or null where it was not
 *     corrected
 */
public record LayerSummary(int index, String name, String opType, boolean int8, String reason, String activation,
        int weightBits, float weightScaleMin, float weightScaleMax, List<TensorParams> inputs, TensorParams output,
        float[] biasShift) {
    /** The same layer with another reason (e.g. kept in float by the fallback). */
    public LayerSummary withReason(String r) {
        return new LayerSummary(index, name, opType, int8, r, activation, weightBits, weightScaleMin, weightScaleMax,
                inputs, output, biasShift);
    }

    /** The largest |bias shift| of the layer, 0 where it was not corrected. */
    public float maxBiasShift() {
        float m = 0f;
        for (float s : biasShift == null ? new float[0] : biasShift) {
            m = Math.max(m, Math.abs(s));
        }
        return m;
    }

    /** One quantized tensor: name, scale, zero point and the (widened) range they come from. */
    public record TensorParams(String tensor, float scale, long zeroPoint, float min, float max) {
        @Override
        public String toString() {
            return tensor + " s=" + scale + " zp=" + zeroPoint;
        }
    }
}
