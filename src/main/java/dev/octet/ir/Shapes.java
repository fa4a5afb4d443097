package dev.octet.ir;

import java.util.Arrays;

/** Arithmetic on concrete shapes (int[] dimensions, row-major). */
public final class Shapes {
    private Shapes() {
    }

    /** Number of elements; fails clearly where it would not fit a Java array. */
    public static int size(int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new OctetException("negative dimension in shape " + Arrays.toString(shape));
            }
            n *= d;
            if (n > Integer.MAX_VALUE - 8) {
                throw new OctetException("shape " + Arrays.toString(shape) + " has more than 2^31 elements");
            }
        }
        return (int) n;
    }

    /** Row-major strides in elements. */
    public static int[] strides(int[] shape) {
        int[] s = new int[shape.length];
        int acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= shape[i];
        }
        return s;
    }

    /** Resolves a possibly negative axis against a rank, as ONNX defines it; names the attribute on failure. */
    public static int axis(long axis, int rank, String what) {
        if (axis < -rank || axis >= Math.max(rank, 1)) {
            throw new OctetException(what + " " + axis + " is out of range for rank " + rank);
        }
        return (int) (axis < 0 ? axis + rank : axis);
    }

    public static String toString(int[] shape) {
        return Arrays.toString(shape);
    }

    /** Converts an int64 shape (ONNX dims) to int, failing clearly on sizes Java arrays cannot hold. */
    public static int[] toIntShape(long[] dims, String what) {
        return toIntShape(dims, () -> what);
    }

    /**
     * {@link #toIntShape(long[], String)} with the description made only for an error: a runtime step asks for its
     * output's shape every run, and the description of a type is a string built from all its dimensions.
     */
    public static int[] toIntShape(long[] dims, java.util.function.Supplier<String> what) {
        int[] s = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] < 0 || dims[i] > Integer.MAX_VALUE) {
                throw new OctetException(what.get() + ": dimension " + dims[i] + " in " + Arrays.toString(dims)
                        + " is out of range");
            }
            s[i] = (int) dims[i];
        }
        if (count(dims) > Integer.MAX_VALUE - 8) {
            throw new OctetException(what.get() + ": shape " + Arrays.toString(dims) + " has more than 2^31 elements");
        }
        return s;
    }

    /** Number of elements of a shape of non-negative sizes, saturating at Long.MAX_VALUE instead of overflowing. */
    public static long count(long[] dims) {
        long n = 1;
        for (long d : dims) {
            if (d == 0) {
                return 0;
            }
        }
        for (long d : dims) {
            n = d != 0 && n > Long.MAX_VALUE / d ? Long.MAX_VALUE : n * d;
        }
        return n;
    }
}
