package dev.octet.ir.op.nn;

import dev.octet.ir.DataType;
import dev.octet.ir.Shapes;
import dev.octet.ir.Tensor;
import java.lang.reflect.Array;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Gathers a tensor along each axis by an index table: output index o of axis a reads input index
 * {@code source[a][o]}, or is the fill value where that is −1. Values are copied, never computed, so the gather is
 * exact for every element type. Nearest-neighbour Resize and Pad are both this gather.
 */
final class AxisGather {
    private AxisGather() {
    }

    /**
     * @param source per axis, the input index each output index reads (−1: the fill value), or null where the axis
     *     is unchanged
     * @param fill a tensor of x's type whose first element fills; may be null where no index is −1
     */
    static Tensor gather(Tensor x, int[][] source, Tensor fill) {
        Object data = x.data();
        int[] shape = x.shape();
        int[] outLengths = new int[shape.length];
        for (int a = 0; a < shape.length; a++) {
            outLengths[a] = source[a] == null ? shape[a] : source[a].length;
        }
        for (int a : shrinkingFirst(shape, outLengths)) {
            if (source[a] != null) {
                data = gatherAxis(data, shape, a, source[a], fill);
                shape[a] = source[a].length;
            }
        }
        return Tensor.of(x.dtype(), shape, data);
    }

    /**
     * The order in which to process axes so that intermediate results never exceed the larger of the input and
     * the output: axes that shrink first, then those that grow.
     */
    static int[] shrinkingFirst(int[] in, int[] out) {
        return IntStream.range(0, in.length).boxed()
                .sorted(Comparator.comparingDouble(a -> (double) out[a] / Math.max(in[a], 1)))
                .mapToInt(Integer::intValue).toArray();
    }

    /** A fill value: a one-element tensor of a type holding v (integers truncated and saturated, bool v ≠ 0). */
    static Tensor fillValue(DataType dtype, double v) {
        int[] one = {1};
        return switch (dtype) {
            case FLOAT, FLOAT16, BFLOAT16, DOUBLE -> Tensor.ofDoubles(dtype, one, new double[] {v});
            case BOOL -> Tensor.ofBooleans(one, v != 0);
            case STRING -> Tensor.of(dtype, one, new String[] {""});
            default -> Tensor.ofLongs(dtype, one,
                    Math.clamp((long) v, dtype.minValue(), dtype.maxValue()));
        };
    }

    private static Object gatherAxis(Object data, int[] shape, int axis, int[] source, Tensor fill) {
        int inLength = shape[axis];
        int outLength = source.length;
        int outer = Shapes.size(Arrays.copyOfRange(shape, 0, axis));
        int inner = Shapes.size(Arrays.copyOfRange(shape, axis + 1, shape.length));
        Object out = Array.newInstance(data.getClass().getComponentType(),
                Math.multiplyExact(outer, Math.multiplyExact(outLength, inner)));
        boolean fills = false;
        for (int o = 0; o < outLength; o++) {
            int s = source[o];
            if (s < -1 || s >= inLength || (s == -1 && fill == null)) {
                throw new IllegalArgumentException("source index " + s + " for an axis of length " + inLength);
            }
            fills |= s == -1;
        }
        if (inner == 1 && data instanceof float[] src && !fills) {
            float[] dst = (float[]) out; // the last axis of a float tensor: one element per index, no copy call
            for (int p = 0, d = 0; p < outer; p++) {
                int base = p * inLength;
                for (int o = 0; o < outLength; o++) {
                    dst[d++] = src[base + source[o]];
                }
            }
            return out;
        }
        for (int p = 0; p < outer; p++) {
            for (int o = 0; o < outLength; o++) {
                int dst = (p * outLength + o) * inner;
                if (source[o] < 0) {
                    fill(out, dst, inner, fill.data());
                } else {
                    System.arraycopy(data, (p * inLength + source[o]) * inner, out, dst, inner);
                }
            }
        }
        return out;
    }

    private static void fill(Object array, int from, int length, Object value) {
        int to = from + length;
        switch (array) {
            case float[] f -> Arrays.fill(f, from, to, ((float[]) value)[0]);
            case double[] d -> Arrays.fill(d, from, to, ((double[]) value)[0]);
            case long[] l -> Arrays.fill(l, from, to, ((long[]) value)[0]);
            case boolean[] b -> Arrays.fill(b, from, to, ((boolean[]) value)[0]);
            case String[] s -> Arrays.fill(s, from, to, ((String[]) value)[0]);
            default -> throw new IllegalArgumentException("cannot fill " + array.getClass());
        }
    }
}
