package dev.octet.ir.op.tensor;

import dev.octet.ir.DataType;
import dev.octet.ir.Tensor;
import dev.octet.ir.op.OpContext;
import java.util.Set;

/**
 * The matrix product shared by MatMul and Gemm: float types accumulate in double (products of floats are exact
 * there) and are rounded once by the caller; integer types accumulate in long and wrap at the type's width, as
 * ONNX Runtime's integer products do.
 */
final class Matrices {
    private static final Set<DataType> TYPES = Set.of(DataType.FLOAT, DataType.DOUBLE, DataType.FLOAT16,
            DataType.BFLOAT16, DataType.INT32, DataType.INT64, DataType.UINT32, DataType.UINT64);

    /** A matrix inside a flat array: element (i, j) is at offset + i·rowStride + j·colStride. */
    record View(int offset, int rowStride, int colStride) {
        int at(int i, int j) {
            return offset + i * rowStride + j * colStride;
        }
    }

    private Matrices() {
    }

    static void checkTypes(OpContext ctx, DataType a, DataType b) {
        if (a != b) {
            throw ctx.fail("inputs must have the same element type, got " + a.shortName() + " and " + b.shortName());
        }
        if (!TYPES.contains(a)) {
            throw ctx.fail("element type " + a.shortName() + " is not one of " + TYPES);
        }
    }

    /** out[outOff + i·n + j] += Σ_k a(i, k)·b(k, j) for an m×k by k×n product. */
    static void multiply(double[] a, View av, double[] b, View bv, int m, int k, int n, double[] out, int outOff) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double acc = 0;
                for (int p = 0; p < k; p++) {
                    acc += a[av.at(i, p)] * b[bv.at(p, j)];
                }
                out[outOff + i * n + j] += acc;
            }
        }
    }

    /** The integer twin of {@link #multiply(double[], View, double[], View, int, int, int, double[], int)}. */
    static void multiply(long[] a, View av, long[] b, View bv, int m, int k, int n, long[] out, int outOff) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                long acc = 0;
                for (int p = 0; p < k; p++) {
                    acc += a[av.at(i, p)] * b[bv.at(p, j)];
                }
                out[outOff + i * n + j] += acc;
            }
        }
    }

    /** The numeric values of a tensor in the storage its product is computed in: double[] or long[]. */
    static Object values(Tensor t) {
        return t.dtype().isFloat() ? t.toDoubles() : t.longs();
    }

    /** The result tensor: floats rounded once, integers wrapped to the type's width. */
    static Tensor result(DataType dtype, int[] shape, Object values) {
        if (dtype.isFloat()) {
            return Tensor.ofDoubles(dtype, shape, (double[]) values);
        }
        long[] v = (long[]) values;
        for (int i = 0; i < v.length; i++) {
            v[i] = switch (dtype) {
                case INT32 -> (int) v[i];
                case UINT32 -> v[i] & 0xFFFF_FFFFL;
                default -> v[i];
            };
        }
        return Tensor.ofLongs(dtype, shape, v);
    }
}
