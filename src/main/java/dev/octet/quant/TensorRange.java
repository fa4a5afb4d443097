package dev.octet.quant;

/**
 * The real-valued range [min, max] chosen for one activation tensor by calibration: what the quantizer turns into a
 * scale and zero point (the range is widened to include 0 there, so that 0 is exactly representable).
 */
public record TensorRange(float min, float max) {
    public TensorRange {
        if (Float.isNaN(min) || Float.isNaN(max) || min > max) {
            throw new IllegalArgumentException("not a range: [" + min + ", " + max + "]");
        }
    }
}
