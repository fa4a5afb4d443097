package dev.octet.quant;

import dev.octet.ir.OctetException;

/**
 * Chooses the range an activation tensor is quantized over from what calibration saw of it. A non-negative tensor
 * (after ReLU) gets [0, t]; a signed one gets [-t, t] from MSE and power of two, [max(min, -t), min(max, t)] from
 * KL (which never widens the short side of a one-sided tensor) and its observed or percentile bounds from the
 * others. Every range contains 0, which int8
 * must represent exactly (padding, ReLU).
 */
public interface Observer {
    /**
     * @throws OctetException naming the tensor where it has no range: never observed, or 0 on every image (a
     *     constant zero tensor cannot be given a scale; leave its consumer in float or remove it from the model)
     */
    TensorRange range(TensorStatistics stats);

    /** Refuses statistics that cannot give a range (see {@link #range}). */
    static void requireRange(TensorStatistics s) {
        if (s.count() == 0) {
            throw new OctetException("tensor '" + s.name() + "' was not computed on any calibration image");
        }
        if (s.maxAbs() == 0) {
            throw new OctetException("tensor '" + s.name() + "' is 0 on every calibration image: it has no range "
                    + "to quantize with");
        }
    }

    /** [0, t] for a non-negative tensor, else [-t, t]. */
    static TensorRange clippedAt(TensorStatistics s, double t) {
        float f = (float) Math.min(t, s.maxAbs());
        return s.isNonNegative() ? new TensorRange(0, f) : new TensorRange(-f, f);
    }

    /** Quantization levels on the side of zero a threshold bounds: 255 for u8 [0, t], 127 for s8 [-t, t]. */
    static int levels(TensorStatistics s) {
        return s.isNonNegative() ? 255 : 127;
    }
}
