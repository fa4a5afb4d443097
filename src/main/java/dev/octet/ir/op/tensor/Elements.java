package dev.octet.ir.op.tensor;

import dev.octet.ir.DataType;
import dev.octet.ir.Shapes;
import dev.octet.ir.Tensor;
import java.util.Arrays;

/**
 * Data movement for every element type at once. The shape operators only move values, so they are written against
 * flat index maps (output element i reads input element map[i]) or block copies, never once per dtype.
 */
final class Elements {
    private Elements() {
    }

    /** A new, zeroed array of the storage class of a type. */
    static Object newArray(DataType dtype, int n) {
        return switch (dtype) {
            case FLOAT, FLOAT16, BFLOAT16 -> new float[n];
            case DOUBLE -> new double[n];
            case BOOL -> new boolean[n];
            case STRING -> new String[n];
            default -> new long[n];
        };
    }

    /** The tensor of the given shape whose element i is {@code src}'s element {@code map[i]}. */
    static Tensor take(Tensor src, int[] shape, int[] map) {
        int n = map.length;
        Object out = switch (src.data()) {
            case float[] f -> {
                float[] o = new float[n];
                for (int i = 0; i < n; i++) {
                    o[i] = f[map[i]];
                }
                yield o;
            }
            case double[] d -> {
                double[] o = new double[n];
                for (int i = 0; i < n; i++) {
                    o[i] = d[map[i]];
                }
                yield o;
            }
            case long[] l -> {
                long[] o = new long[n];
                for (int i = 0; i < n; i++) {
                    o[i] = l[map[i]];
                }
                yield o;
            }
            case boolean[] b -> {
                boolean[] o = new boolean[n];
                for (int i = 0; i < n; i++) {
                    o[i] = b[map[i]];
                }
                yield o;
            }
            case String[] s -> {
                String[] o = new String[n];
                for (int i = 0; i < n; i++) {
                    o[i] = s[map[i]];
                }
                yield o;
            }
            default -> throw new IllegalStateException("unknown storage " + src.data().getClass());
        };
        return Tensor.of(src.dtype(), shape, out);
    }

    /**
     * A strided view of {@code src} made concrete: output element (i0, i1, ...) of the given shape reads the flat
     * element {@code base + Σ ik·strides[k]}. Transpose, Slice, Tile and DepthToSpace are all such views; a stride
     * of 0 repeats values.
     */
    static Tensor strided(Tensor src, int[] shape, long base, long[] strides) {
        int n = Shapes.size(shape);
        int[] map = new int[n];
        int[] idx = new int[shape.length];
        long offset = base;
        for (int flat = 0; flat < n; flat++) {
            map[flat] = Math.toIntExact(offset);
            for (int d = shape.length - 1; d >= 0; d--) {
                offset += strides[d];
                if (++idx[d] < shape[d]) {
                    break;
                }
                offset -= strides[d] * idx[d];
                idx[d] = 0;
            }
        }
        return take(src, shape, map);
    }

    /**
     * Views {@code src}'s values as a row-major tensor of {@code viewShape} (same size) and transposes it: output
     * axis k is view axis {@code perm[k]}.
     */
    static Tensor permute(Tensor src, int[] viewShape, int[] perm) {
        int[] viewStrides = Shapes.strides(viewShape);
        int[] shape = new int[perm.length];
        long[] strides = new long[perm.length];
        for (int k = 0; k < perm.length; k++) {
            shape[k] = viewShape[perm[k]];
            strides[k] = viewStrides[perm[k]];
        }
        return strided(src, shape, 0, strides);
    }

    /** A tensor of the given shape with every element equal to {@code value}'s single element. */
    static Tensor fill(Tensor value, int[] shape) {
        int n = Shapes.size(shape);
        Object out = newArray(value.dtype(), n);
        switch (out) {
            case float[] f -> Arrays.fill(f, value.floats()[0]);
            case double[] d -> Arrays.fill(d, value.doubles()[0]);
            case long[] l -> Arrays.fill(l, value.longs()[0]);
            case boolean[] b -> Arrays.fill(b, value.booleans()[0]);
            case String[] s -> Arrays.fill(s, value.strings()[0]);
            default -> throw new IllegalStateException();
        }
        return Tensor.of(value.dtype(), shape, out);
    }
}
