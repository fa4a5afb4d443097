package dev.octet.quant;

import dev.octet.ir.DataType;
import dev.octet.ir.OctetException;
import java.util.Set;

/**
 * How {@link Quantizer} quantizes a graph.
 *
 * @param activationType UINT8 (the default: what ONNX Runtime's x86 int8 kernels prefer) or INT8
 * @param weightBits 8 (weights in [−127, 127], the default) or 7 (weights in [−63, 63]: every pair of adjacent
 *     weights then satisfies |w₂ᵢ| + |w₂ᵢ₊₁| ≤ 128, so AVX2's saturating {@code vpmaddubsw} is exact on them)
 * @param perChannelWeights one scale per output channel (the default), or one per weight tensor (for comparison)
 * @param skipNodes nodes kept in float, by node name or by index in the simplified graph's node order (as text,
 *     e.g. "0")
 * @param skipOpTypes operator types kept in float (e.g. "Add")
 * @param biasCorrection whether each int8 conv's bias is shifted by the mean error its weight rounding causes on
 *     the calibration inputs ({@link BiasCorrection}; needs the calibration images, so only
 *     {@link PostTrainingQuantizer} applies it)
 */
public record QuantizeOptions(DataType activationType, int weightBits, boolean perChannelWeights,
        Set<String> skipNodes, Set<String> skipOpTypes, boolean biasCorrection) {
    public QuantizeOptions {
        if (activationType != DataType.UINT8 && activationType != DataType.INT8) {
            throw new OctetException("activations are quantized to uint8 or int8, not " + activationType);
        }
        if (weightBits != 8 && weightBits != 7) {
            throw new OctetException("weights are quantized to 8 or 7 bits, not " + weightBits);
        }
        skipNodes = Set.copyOf(skipNodes);
        skipOpTypes = Set.copyOf(skipOpTypes);
    }

    /** uint8 activations, 8-bit per-channel weights, nothing skipped. */
    public static QuantizeOptions defaults() {
        return new QuantizeOptions(DataType.UINT8, 8, true, Set.of(), Set.of(), false);
    }

    public QuantizeOptions withActivationType(DataType type) {
        return new QuantizeOptions(type, weightBits, perChannelWeights, skipNodes, skipOpTypes, biasCorrection);
    }

    public QuantizeOptions withWeightBits(int bits) {
        return new QuantizeOptions(activationType, bits, perChannelWeights, skipNodes, skipOpTypes, biasCorrection);
    }

    public QuantizeOptions withPerChannelWeights(boolean perChannel) {
        return new QuantizeOptions(activationType, weightBits, perChannel, skipNodes, skipOpTypes, biasCorrection);
    }

    public QuantizeOptions withSkipNodes(Set<String> nodes) {
        return new QuantizeOptions(activationType, weightBits, perChannelWeights, nodes, skipOpTypes, biasCorrection);
    }

    public QuantizeOptions withSkipOpTypes(Set<String> opTypes) {
        return new QuantizeOptions(activationType, weightBits, perChannelWeights, skipNodes, opTypes, biasCorrection);
    }

    public QuantizeOptions withBiasCorrection(boolean correct) {
        return new QuantizeOptions(activationType, weightBits, perChannelWeights, skipNodes, skipOpTypes, correct);
    }

    /** The largest weight magnitude: 127 for 8-bit weights, 63 for 7-bit. */
    public long weightMax() {
        return (1L << (weightBits - 1)) - 1;
    }
}
