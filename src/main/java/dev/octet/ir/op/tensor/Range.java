package dev.octet.ir.op.tensor;

import dev.octet.ir.DataType;
import dev.octet.ir.Dim;
import dev.octet.ir.OctetException;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.op.EvalContext;
import dev.octet.ir.op.InferenceContext;
import dev.octet.ir.op.OpContext;
import dev.octet.ir.op.Operator;
import java.math.BigInteger;
import java.util.List;
import java.util.Set;

/**
 * Range (opset 11): start, start + delta, ... up to but not including limit, max(ceil((limit - start) / delta), 0)
 * values. Element i is start + i·delta, computed in double (or exactly for integers) and rounded once.
 */
final class Range implements Operator {
    private static final Set<DataType> TYPES = Set.of(DataType.FLOAT, DataType.DOUBLE, DataType.INT16,
            DataType.INT32, DataType.INT64);

    @Override
    public String opType() {
        return "Range";
    }

    @Override
    public List<TensorType> inferTypes(InferenceContext ctx) {
        DataType dtype = ctx.inputType(0).dtype();
        for (int i = 0; i < 3; i++) {
            TensorType t = ctx.inputType(i);
            if (t.dtype() != dtype || !TYPES.contains(dtype) || t.rank() > 1) {
                throw ctx.fail("start, limit and delta must be scalars of one type of " + TYPES + ", input " + i
                        + " is " + t);
            }
        }
        Tensor start = ctx.constant(0);
        Tensor limit = ctx.constant(1);
        Tensor delta = ctx.constant(2);
        Dim n = start == null || limit == null || delta == null ? Dim.unknown()
                : Dim.of(count(ctx, start, limit, delta));
        return List.of(new TensorType(dtype, List.of(n)));
    }

    @Override
    public List<Tensor> evaluate(EvalContext ctx) {
        Tensor start = ctx.input(0);
        Tensor delta = ctx.input(2);
        int n = count(ctx, start, ctx.input(1), delta);
        DataType dtype = start.dtype();
        if (dtype.isFloat()) {
            double s = start.getDouble(0);
            double d = delta.getDouble(0);
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                v[i] = s + i * d;
            }
            return List.of(Tensor.ofDoubles(dtype, new int[] {n}, v));
        }
        long s = start.getLong(0);
        long d = delta.getLong(0);
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
            v[i] = s + i * d;
        }
        return List.of(Tensor.ofLongs(dtype, new int[] {n}, v));
    }

    /** The number of values, checked to fit an array before anything is allocated. */
    private static int count(OpContext ctx, Tensor start, Tensor limit, Tensor delta) {
        for (Tensor t : List.of(start, limit, delta)) {
            if (t.size() != 1) {
                throw ctx.fail("start, limit and delta must be scalars, got " + t.type());
            }
        }
        double n;
        if (start.dtype().isFloat()) {
            double d = delta.getDouble(0);
            if (d == 0 || Double.isNaN(d)) {
                throw ctx.fail("delta must not be " + d);
            }
            n = Math.ceil((limit.getDouble(0) - start.getDouble(0)) / d);
        } else {
            long d = delta.getLong(0);
            if (d == 0) {
                throw ctx.fail("delta must not be 0");
            }
            // Exact: limit - start may not fit a long.
            BigInteger diff = BigInteger.valueOf(limit.getLong(0)).subtract(BigInteger.valueOf(start.getLong(0)));
            BigInteger[] qr = diff.divideAndRemainder(BigInteger.valueOf(d));
            BigInteger q = qr[1].signum() != 0 && diff.signum() == Long.signum(d) ? qr[0].add(BigInteger.ONE) : qr[0];
            n = q.doubleValue();
        }
        if (Double.isNaN(n) || n >= Integer.MAX_VALUE - 8) {
            throw new OctetException("Range: " + start + " to " + limit + " by " + delta + " has too many values");
        }
        return (int) Math.max(0, n);
    }
}
