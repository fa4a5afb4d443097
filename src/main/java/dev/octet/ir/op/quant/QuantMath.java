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
 *   <li>int8 add: y = clamp(rne((float) (q_a − zp_a) · M_a + (float) (q_b − zp_b) · M_b) + zp_y), M_a = s_a / s_y and
 *       M_b = s_b / s_y as fp32 constants, each product and the sum in plain fp32 (see {@link #addRequantize})</li>
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

    /** The multiplier of one input of an int8 add: s_in / s_y in fp32. */
    public static float addMultiplier(float scaleIn, float scaleY) {
        return scaleIn / scaleY;
    }

    /**
     * The one int8 add formula (residual adds of two quantized tensors), the same in the reference and every
     * kernel: y = clamp(rne((float) (q_a − zp_a) · M_a + (float) (q_b − zp_b) · M_b) + zp_y, lo, hi) with each
     * product rounded to fp32, then the sum rounded to fp32 (no fused multiply-add), then round half to even. ONNX
     * Runtime's QLinearAdd computes the same real value in another order and may differ by one unit.
     */
    public static long addRequantize(long qa, long zeroPointA, float multiplierA, long qb, long zeroPointB,
            float multiplierB, long zeroPointY, long lo, long hi) {
        return addTermsRequantize(addTerm(qa, zeroPointA, multiplierA), addTerm(qb, zeroPointB, multiplierB),
                zeroPointY, lo, hi);
    }

    /**
     * One operand's term of {@link #addRequantize}: (float) (q − zp) · M in fp32. A kernel may tabulate it for
     * the 256 values of an 8-bit input; the result is the same.
     */
    public static float addTerm(long q, long zeroPoint, float multiplier) {
        return (float) (q - zeroPoint) * multiplier;
    }

    /** The rest of {@link #addRequantize} from its two terms: clamp(rne(a + b) + zp_y, lo, hi), the sum in fp32. */
    public static long addTermsRequantize(float a, float b, long zeroPointY, long lo, long hi) {
        return saturate(rne(a + b), zeroPointY, lo, hi);
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
