package dev.octet.ir.op.quant;

import dev.octet.ir.DataType;

/**
 * The integer quantization formulas of DESIGN.md, written once: every reference operator, the quantizer and every
 * int8 kernel use exactly these (the kernels in their own language, tested bit-exact against these).
 *
 * <ul>
 *   <li>real = scale · (q − zero_point)</li>
 *   <li>quantize: q = saturate(rne(x / scale) + zero_point), x / scale in fp32 (as ONNX and ONNX Runtime)</li>
 *   <li>requantize: y = clamp(rne((float) acc · M) + zp_y), M = s_x · s_w / s_y as an fp32 constant, plain fp32
 *       multiply (no fused multiply-add)</li>
 *   <li>dynamic uint8 parameters (DynamicQuantizeLinear): see {@link #dynamicUint8}</li>
 * </ul>
 */
public final class QuantMath {
    private QuantMath() {
    }

    /** Round half to even in fp32 (C's nearbyintf in the default rounding mode). */
    public static float rne(float v) {
        return (float) Math.rint(v);
    }

    /** The requantization multiplier M = (s_x · s_w) / s_y, each step in fp32. */
    public static float multiplier(float scaleX, float scaleW, float scaleY) {
        return (scaleX * scaleW) / scaleY;
    }

    /** ONNX QuantizeLinear of one fp32 value to an integer type. */
    public static long quantize(float x, float scale, long zeroPoint, DataType type) {
        return saturate(rne(x / scale), zeroPoint, type.minValue(), type.maxValue());
    }

    /** Requantizes an int32 accumulator to [lo, hi] (the output type's range, narrowed by a fused ReLU/Clip). */
    public static long requantize(long acc, float multiplier, long zeroPoint, long lo, long hi) {
        return saturate(rne((float) acc * multiplier), zeroPoint, lo, hi);
    }

    /** ONNX DequantizeLinear of one value: (q − zero_point) · scale in fp32. */
    public static float dequantize(long q, long zeroPoint, float scale) {
        return (float) (q - zeroPoint) * scale;
    }

    /** A scale and zero point, real = scale · (q − zero_point). */
    public record ScaleAndZeroPoint(float scale, long zeroPoint) {
    }

    /**
     * ONNX DynamicQuantizeLinear's uint8 parameters for values spanning [min, max], each step in fp32 as ONNX and
     * ONNX Runtime compute them: the range is first extended to include 0 (so 0 is exactly representable), scale =
     * (max − min) / 255, zero point = saturate(rne(0 − min / scale)). An empty range (all values 0) has scale 1 and
     * zero point 0, as in ONNX Runtime, rather than a division by zero.
     */
    public static ScaleAndZeroPoint dynamicUint8(float min, float max) {
        float lo = Math.min(min, 0f);
        float hi = Math.max(max, 0f);
        float qmin = DataType.UINT8.minValue();
        float qmax = DataType.UINT8.maxValue();
        float scale = hi == lo ? 1f : (hi - lo) / (qmax - qmin);
        float initialZeroPoint = qmin - lo / scale;
        return new ScaleAndZeroPoint(scale, (long) rne(Math.clamp(initialZeroPoint, qmin, qmax)));
    }

    /** Adds the zero point to an already rounded value and clamps; NaN maps to the zero point, ±inf to the bounds. */
    private static long saturate(float rounded, long zeroPoint, long lo, long hi) {
        if (Float.isNaN(rounded)) {
            return Math.clamp(zeroPoint, lo, hi);
        }
        double v = (double) rounded + zeroPoint;
        return (long) Math.max(lo, Math.min(hi, v));
    }
}
