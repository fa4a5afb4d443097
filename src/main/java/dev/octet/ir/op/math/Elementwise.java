package dev.octet.ir.op.math;

import dev.octet.ir.DataType;
import dev.octet.ir.Dim;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.op.Broadcast;
import dev.octet.ir.op.OpContext;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.function.LongBinaryOperator;
import java.util.function.LongUnaryOperator;
import java.util.stream.Collectors;

/**
 * The one elementwise engine of the math operators: dtype checks, broadcast types, and the loops that apply a
 * scalar function. Float types are computed in double and rounded once to the element type; integer types are
 * computed exactly in long and wrap to the element type's width, as two's complement C arithmetic does.
 */
final class Elementwise {
    static final Set<DataType> FLOATS = EnumSet.of(DataType.FLOAT, DataType.DOUBLE, DataType.FLOAT16,
            DataType.BFLOAT16);
    static final Set<DataType> SIGNED_INTS = EnumSet.of(DataType.INT8, DataType.INT16, DataType.INT32,
            DataType.INT64);
    static final Set<DataType> INTS = EnumSet.of(DataType.INT8, DataType.INT16, DataType.INT32, DataType.INT64,
            DataType.UINT8, DataType.UINT16, DataType.UINT32, DataType.UINT64);
    static final Set<DataType> NUMERIC = union(FLOATS, INTS);
    static final Set<DataType> FLOATS_AND_SIGNED = union(FLOATS, SIGNED_INTS);

    private Elementwise() {
    }

    static Set<DataType> union(Set<DataType> a, Set<DataType> b) {
        EnumSet<DataType> s = EnumSet.copyOf(a);
        s.addAll(b);
        return s;
    }

    /** Fails unless {@code t} is one of {@code allowed}; {@code what} names the input. */
    static void check(OpContext ctx, String what, DataType t, Set<DataType> allowed) {
        if (!allowed.contains(t)) {
            throw ctx.fail(what + " is " + t.shortName() + ", expected one of "
                    + allowed.stream().map(DataType::shortName).collect(Collectors.joining(", ")));
        }
    }

    /** Fails unless inputs {@code a} and {@code b} have the same element type. */
    static void checkSame(OpContext ctx, TensorType a, TensorType b) {
        if (a.dtype() != b.dtype()) {
            throw ctx.fail("inputs must have one element type, got " + a.dtype().shortName() + " and "
                    + b.dtype().shortName());
        }
    }

    /** The broadcast shape of several input types (numpy rules), with unknown dimensions where it cannot be known. */
    static List<Dim> broadcastDims(OpContext ctx, List<TensorType> types) {
        List<List<Dim>> dims = new ArrayList<>();
        for (TensorType t : types) {
            dims.add(t.dims());
        }
        try {
            return Broadcast.dims(dims);
        } catch (dev.octet.ir.OctetException e) {
            throw ctx.fail(e.getMessage());
        }
    }

    static int[] broadcastShape(OpContext ctx, Tensor... tensors) {
        int[][] shapes = new int[tensors.length][];
        for (int i = 0; i < tensors.length; i++) {
            shapes[i] = tensors[i].shape();
        }
        try {
            return Broadcast.shape(shapes);
        } catch (dev.octet.ir.OctetException e) {
            throw ctx.fail(e.getMessage());
        }
    }

    /** Wraps an exact result to the width of an integer type (two's complement), as C's conversions do. */
    static long wrap(DataType t, long v) {
        return switch (t) {
            case INT8 -> (byte) v;
            case UINT8 -> v & 0xFF;
            case INT16 -> (short) v;
            case UINT16 -> v & 0xFFFF;
            case INT32 -> (int) v;
            case UINT32 -> v & 0xFFFF_FFFFL;
            case BOOL -> v & 1;
            default -> v;
        };
    }

    /** Applies f to each element of a float tensor, in double, rounding once to its type. */
    static Tensor map(Tensor x, DoubleUnaryOperator f) {
        double[] out = new double[x.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = f.applyAsDouble(x.getDouble(i));
        }
        return Tensor.ofDoubles(x.dtype(), x.shape(), out);
    }

    /** Applies f to each element of an integer tensor, exactly, wrapping to its type. */
    static Tensor mapLongs(Tensor x, LongUnaryOperator f) {
        long[] in = x.longs();
        long[] out = new long[in.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = wrap(x.dtype(), f.applyAsLong(in[i]));
        }
        return Tensor.of(x.dtype(), x.shape(), out);
    }

    /** Applies f to the broadcast pairs of two float tensors of one type, in double, rounding once. */
    static Tensor zip(OpContext ctx, Tensor a, Tensor b, DoubleBinaryOperator f) {
        int[] shape = broadcastShape(ctx, a, b);
        int[] ia = Broadcast.indexMap(a.shape(), shape);
        int[] ib = Broadcast.indexMap(b.shape(), shape);
        double[] out = new double[ia.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = f.applyAsDouble(a.getDouble(ia[i]), b.getDouble(ib[i]));
        }
        return Tensor.ofDoubles(a.dtype(), shape, out);
    }

    /** Applies f to the broadcast pairs of two integer tensors of one type, exactly, wrapping to the type. */
    static Tensor zipLongs(OpContext ctx, Tensor a, Tensor b, LongBinaryOperator f) {
        int[] shape = broadcastShape(ctx, a, b);
        int[] ia = Broadcast.indexMap(a.shape(), shape);
        int[] ib = Broadcast.indexMap(b.shape(), shape);
        long[] la = a.longs();
        long[] lb = b.longs();
        long[] out = new long[ia.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = wrap(a.dtype(), f.applyAsLong(la[ia[i]], lb[ib[i]]));
        }
        return Tensor.of(a.dtype(), shape, out);
    }
}
