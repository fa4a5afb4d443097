package dev.octet.pass;

import dev.octet.ir.Node;
import dev.octet.ir.Tensor;

/**
 * The integer clamp range that a Relu or Clip between an operator and its output QuantizeLinear becomes.
 * Quantization is monotonic, so Q(Relu(y)) = max(Q(y), Q(0)) and Q(Clip(y, a, b)) = clamp(Q(y), Q(a), Q(b)) for a
 * ≤ b; the range lies within the output type's.
 */
final class QuantizedClamp {
    private QuantizedClamp() {
    }

    /** Whether the node is an activation this class turns into a clamp range. */
    static boolean isActivation(Node n) {
        return n != null && n.domain().isEmpty() && (n.opType().equals("Relu") || n.opType().equals("Clip"));
    }

    /**
     * [lo, hi] of the activation under the output quantization, or null where its bounds are not constants (or
     * NaN, or a &gt; b).
     */
    static long[] of(GraphIndex index, Node act, QdqParams out, int opset) {
        float a;
        float b;
        if (act.opType().equals("Relu")) {
            a = 0f;
            b = Float.POSITIVE_INFINITY;
        } else if (opset < 11) {
            a = act.attributes().getFloat("min", Float.NEGATIVE_INFINITY);
            b = act.attributes().getFloat("max", Float.POSITIVE_INFINITY);
        } else {
            Float lo = bound(index, act, 1, Float.NEGATIVE_INFINITY);
            Float hi = bound(index, act, 2, Float.POSITIVE_INFINITY);
            if (lo == null || hi == null) {
                return null;
            }
            a = lo;
            b = hi;
        }
        if (Float.isNaN(a) || Float.isNaN(b) || a > b) {
            return null;
        }
        return new long[] {out.quantize(a), out.quantize(b)};
    }

    /** Whether [lo, hi] is narrower than the output type's whole range. */
    static boolean narrows(long[] range, QdqParams out) {
        return range[0] > out.type().minValue() || range[1] < out.type().maxValue();
    }

    private static Float bound(GraphIndex index, Node clip, int input, float absent) {
        if (!clip.hasInput(input)) {
            return absent;
        }
        Tensor t = index.constant(clip.input(input));
        return t == null || t.size() != 1 || !t.dtype().isFloat() ? null : (float) t.getDouble(0);
    }
}
