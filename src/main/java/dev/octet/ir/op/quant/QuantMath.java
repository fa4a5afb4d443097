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
     * ONNX DynamicQuantizeLinear's uint8 parameters for values spanning [min, max]: {@link #fromRange} for UINT8,
     * which is how ONNX and ONNX Runtime compute them.
     */
    public static ScaleAndZeroPoint dynamicUint8(float min, float max) {
        return fromRange(min, max, DataType.UINT8);
    }

    /**
     * The affine parameters of an activation range [min, max] for a uint8 or int8 tensor, each step in fp32 as ONNX
     * Runtime's quantizer and DynamicQuantizeLinear compute them: the range is first extended to include 0 (so 0 is
     * exactly representable, and a non-negative range has the type's minimum as zero point), scale = (max − min) /
     * (qmax − qmin), zero point = saturate(rne(qmin − min / scale)). An empty range (all values 0) has scale 1 and
     * zero point qmin rather than a division by zero.
     */
    public static ScaleAndZeroPoint fromRange(float min, float max, DataType type) {
        float lo = Math.min(min, 0f);
        float hi = Math.max(max, 0f);
        float qmin = type.minValue();
        float qmax = type.maxValue();
        float scale = hi == lo ? 1f : (hi - lo) / (qmax - qmin);
        float initialZeroPoint = qmin - lo / scale;
        return new ScaleAndZeroPoint(scale, (long) rne(Math.clamp(initialZeroPoint, qmin, qmax)));
    }

    /**
     * The symmetric per-channel weight scale: max|w| / qmax (qmax 127 for 8-bit weights, 63 for 7-bit). A channel
     * whose weights are all zero gets the scale it would have if its largest weight were 1, 1 / qmax: any nonzero
     * scale represents its zeros exactly, and this one keeps its bias (quantized at s_x · scale) fine and far from
     * int32 overflow; never a division by zero.
     */
    public static float weightScale(float maxAbs, long qmax) {
        return (maxAbs == 0f ? 1f : maxAbs) / qmax;
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
