package dev.octet.ir;

import java.util.Arrays;

/**
 * A concrete, immutable tensor: element type, shape, and values in row-major order.
 *
 * <p>Storage is chosen for plain, obviously correct reference code, not for speed: FLOAT, FLOAT16 and BFLOAT16
 * hold float[] (half-precision values are exactly representable), DOUBLE holds double[], every integer type holds
 * long[] with the mathematical value (UINT8 255 is 255), BOOL holds boolean[], STRING holds String[]. The arrays
 * handed in are owned by the tensor afterwards and the ones handed out must not be written.
 *
 * <p>INT8 and UINT8 may instead hold byte[] ({@link #ofBytes}), the form int8 kernels read and write without a
 * copy; a UINT8 byte holds the value's low 8 bits (255 is (byte) 0xFF). The two forms are interchangeable: every
 * accessor answers with the mathematical value, {@link #longs()} and {@link #data()} of a byte-backed tensor give
 * its values widened to long[] (computed once), and {@link #bytes()} of a long-backed one narrows them (once).
 */
public final class Tensor {
    private final DataType dtype;
    private final int[] shape;
    private final Object data;
    /** The other form of an 8-bit integer tensor, made on first request (benign race: both results are equal). */
    private volatile Object otherForm;

    private Tensor(DataType dtype, int[] shape, Object data) {
        this.dtype = dtype;
        this.shape = shape.clone();
        this.data = data;
        int n = Shapes.size(this.shape);
        int len = java.lang.reflect.Array.getLength(data);
        if (len != n) {
            throw new OctetException("tensor of shape " + Shapes.toString(shape) + " needs " + n
                    + " values, got " + len);
        }
        if (!storageClass(dtype).isInstance(data) && !(data instanceof byte[] && isByteType(dtype))) {
            throw new IllegalArgumentException(dtype + " is stored as " + storageClass(dtype).getSimpleName());
        }
    }

    /** The Java array class that holds values of a type. */
    public static Class<?> storageClass(DataType dtype) {
        return switch (dtype) {
            case FLOAT, FLOAT16, BFLOAT16 -> float[].class;
            case DOUBLE -> double[].class;
            case BOOL -> boolean[].class;
            case STRING -> String[].class;
            default -> long[].class;
        };
    }

    private static boolean isByteType(DataType dtype) {
        return dtype == DataType.INT8 || dtype == DataType.UINT8;
    }

    /**
     * An INT8 or UINT8 tensor backed by bytes (UINT8: the low 8 bits of each value); takes ownership of the array.
     *
     * @throws IllegalArgumentException for other types
     */
    public static Tensor ofBytes(DataType dtype, int[] shape, byte[] values) {
        if (!isByteType(dtype)) {
            throw new IllegalArgumentException(dtype + " is not an 8-bit integer type");
        }
        return new Tensor(dtype, shape, values);
    }

    /** Wraps an array of the type's storage class (see the class comment); takes ownership of it. */
    public static Tensor of(DataType dtype, int[] shape, Object data) {
        return new Tensor(dtype, shape, data);
    }

    /** A FLOAT tensor of {@code values} (row-major), which it owns afterwards. */
    public static Tensor ofFloats(int[] shape, float... values) {
        return new Tensor(DataType.FLOAT, shape, values);
    }

    /** An integer tensor of mathematical values (UINT8 255 is 255), which it owns afterwards. */
    public static Tensor ofLongs(DataType dtype, int[] shape, long... values) {
        if (!dtype.isInteger()) {
            throw new IllegalArgumentException(dtype + " is not an integer type");
        }
        return new Tensor(dtype, shape, values);
    }

    /** A BOOL tensor, which owns {@code values} afterwards. */
    public static Tensor ofBooleans(int[] shape, boolean... values) {
        return new Tensor(DataType.BOOL, shape, values);
    }

    /** A rank-1 INT64 tensor, as ONNX's shape-like inputs are. */
    public static Tensor int64Vector(long... values) {
        return new Tensor(DataType.INT64, new int[] {values.length}, values);
    }

    /**
     * A float-typed tensor from values computed in double, each rounded once to the element type (round to
     * nearest even). The one place where reference results are narrowed to their storage type.
     */
    public static Tensor ofDoubles(DataType dtype, int[] shape, double[] values) {
        return switch (dtype) {
            case DOUBLE -> new Tensor(dtype, shape, values.clone());
            case FLOAT, FLOAT16, BFLOAT16 -> {
                float[] f = new float[values.length];
                for (int i = 0; i < f.length; i++) {
                    f[i] = round(dtype, values[i]);
                }
                yield new Tensor(dtype, shape, f);
            }
            default -> throw new IllegalArgumentException(dtype + " is not a float type");
        };
    }

    /** Rounds a value to the nearest value of a float type (ties to even), with a single rounding. */
    public static float round(DataType dtype, double v) {
        if (dtype == DataType.FLOAT) {
            return (float) v;
        }
        // double -> float -> half would round twice; rounding the first step to odd makes the second exact.
        float f = (float) v;
        if ((double) f != v && !Float.isInfinite(f) && (Float.floatToRawIntBits(f) & 1) == 0) {
            f = Math.nextAfter(f, v);
        }
        return switch (dtype) {
            case FLOAT16 -> Float.float16ToFloat(Float.floatToFloat16(f));
            case BFLOAT16 -> {
                if (Float.isNaN(f)) {
                    yield f;
                }
                int bits = Float.floatToRawIntBits(f);
                bits += 0x7FFF + ((bits >>> 16) & 1);
                yield Float.intBitsToFloat(bits & 0xFFFF0000);
            }
            default -> throw new IllegalArgumentException(dtype + " is not float or half");
        };
    }

    /** The element type. */
    public DataType dtype() {
        return dtype;
    }

    /** The shape (a copy). */
    public int[] shape() {
        return shape.clone();
    }

    /** The number of dimensions. */
    public int rank() {
        return shape.length;
    }

    /** The size of one dimension. */
    public int dim(int axis) {
        return shape[axis];
    }

    /** The number of elements. */
    public int size() {
        return java.lang.reflect.Array.getLength(data);
    }

    /** Element type and (static) shape, as a graph value declares them. */
    public TensorType type() {
        long[] s = new long[shape.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = shape[i];
        }
        return TensorType.of(dtype, s);
    }

    /**
     * The values in the type's storage class (float[], double[], long[], boolean[] or String[]; a byte-backed
     * tensor's values widened to long[]); do not write to it.
     */
    public Object data() {
        return data instanceof byte[] ? longs() : data;
    }

    /** Whether the values are held as byte[] (see {@link #ofBytes}), so {@link #bytes()} costs nothing. */
    public boolean isByteBacked() {
        return data instanceof byte[];
    }

    /** The values of a FLOAT, FLOAT16 or BFLOAT16 tensor, row-major; do not write to them. */
    public float[] floats() {
        return (float[]) data;
    }

    /** The values of a DOUBLE tensor; do not write to them. */
    public double[] doubles() {
        return (double[]) data;
    }

    public long[] longs() {
        if (data instanceof byte[] b) {
            Object o = otherForm;
            if (o == null) {
                long[] l = new long[b.length];
                boolean unsigned = dtype == DataType.UINT8;
                for (int i = 0; i < l.length; i++) {
                    l[i] = unsigned ? b[i] & 0xFF : b[i];
                }
                otherForm = o = l;
            }
            return (long[]) o;
        }
        return (long[]) data;
    }

    /**
     * An INT8 or UINT8 tensor's values as bytes (UINT8: the low 8 bits; 255 is (byte) 0xFF); do not write to it.
     *
     * @throws IllegalStateException for other types
     */
    public byte[] bytes() {
        if (data instanceof byte[] b) {
            return b;
        }
        if (!isByteType(dtype)) {
            throw new IllegalStateException("a " + dtype + " tensor has no byte form");
        }
        Object o = otherForm;
        if (o == null) {
            long[] l = (long[]) data;
            byte[] b = new byte[l.length];
            for (int i = 0; i < b.length; i++) {
                b[i] = (byte) l[i];
            }
            otherForm = o = b;
        }
        return (byte[]) o;
    }

    /** The values of a BOOL tensor; do not write to them. */
    public boolean[] booleans() {
        return (boolean[]) data;
    }

    /** The values of a STRING tensor; do not write to them. */
    public String[] strings() {
        return (String[]) data;
    }

    /** Element i as a double, whatever the numeric type (booleans are 0/1). */
    public double getDouble(int i) {
        return switch (data) {
            case float[] f -> f[i];
            case double[] d -> d[i];
            case long[] l -> l[i];
            case byte[] b -> dtype == DataType.UINT8 ? b[i] & 0xFF : b[i];
            case boolean[] b -> b[i] ? 1 : 0;
            default -> throw new IllegalStateException("a " + dtype + " tensor has no numeric values");
        };
    }

    /** The offset in [0, n) of the largest of the n elements from {@code from} on (the first of equal ones). */
    public int argmax(int from, int n) {
        int best = 0;
        double max = getDouble(from);
        for (int k = 1; k < n; k++) {
            double v = getDouble(from + k);
            if (v > max) {
                best = k;
                max = v;
            }
        }
        return best;
    }

    /** Element i as a long; float types must hold an integral value there. */
    public long getLong(int i) {
        return switch (data) {
            case long[] l -> l[i];
            case byte[] b -> dtype == DataType.UINT8 ? b[i] & 0xFF : b[i];
            case boolean[] b -> b[i] ? 1 : 0;
            case float[] f -> (long) f[i];
            case double[] d -> (long) d[i];
            default -> throw new IllegalStateException("a " + dtype + " tensor has no numeric values");
        };
    }

    /** All values as doubles (a copy). */
    public double[] toDoubles() {
        double[] out = new double[size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = getDouble(i);
        }
        return out;
    }

    /** All values as longs (a copy); for shape-like tensors. */
    public long[] toLongs() {
        long[] out = new long[size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = getLong(i);
        }
        return out;
    }

    /** The same values with another shape of the same size. */
    public Tensor reshape(int... newShape) {
        return new Tensor(dtype, newShape, data);
    }

    /** Whether the tensor has rank 0. */
    public boolean isScalar() {
        return shape.length == 0;
    }

    /** Value-and-type equality: bitwise for floats (NaN equals NaN), used by tests and constant folding. */
    public boolean sameAs(Tensor o) {
        if (o == null || o.dtype != dtype || !Arrays.equals(o.shape, shape)) {
            return false;
        }
        if (data instanceof byte[] || o.data instanceof byte[]) {
            return data instanceof byte[] && o.data instanceof byte[] ? Arrays.equals((byte[]) data, (byte[]) o.data)
                    : Arrays.equals(longs(), o.longs());
        }
        return switch (data) {
            case float[] f -> Arrays.equals(f, (float[]) o.data);
            case double[] d -> Arrays.equals(d, (double[]) o.data);
            case long[] l -> Arrays.equals(l, (long[]) o.data);
            case boolean[] b -> Arrays.equals(b, (boolean[]) o.data);
            case String[] s -> Arrays.equals(s, (String[]) o.data);
            default -> false;
        };
    }

    @Override
    public String toString() {
        int n = Math.min(size(), 8);
        StringBuilder sb = new StringBuilder(dtype.shortName()).append(Arrays.toString(shape)).append(" {");
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : ", ").append(dtype == DataType.STRING ? strings()[i]
                    : dtype.isFloat() ? Double.toString(getDouble(i)) : Long.toString(getLong(i)));
        }
        return sb.append(size() > n ? ", ...}" : "}").toString();
    }
}
