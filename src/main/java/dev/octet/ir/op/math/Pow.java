package dev.octet.ir.op.math;

import dev.octet.ir.DataType;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.op.Broadcast;
import dev.octet.ir.op.EvalContext;
import dev.octet.ir.op.InferenceContext;
import dev.octet.ir.op.OpContext;
import dev.octet.ir.op.Operator;
import java.util.List;

/**
 * ONNX Pow: base^exponent with broadcasting; the output has the base's type, the exponent may have another numeric
 * type (opset 12+). Float bases are computed in double and rounded once. An integer base with an integer exponent
 * is exact (wrapping to the type, as repeated C multiplication would); with a float exponent the double result is
 * truncated toward zero. A negative integer power of integer 0 is a division by zero and fails.
 */
final class Pow implements Operator {
    @Override
    public String opType() {
        return "Pow";
    }

    @Override
    public List<TensorType> inferTypes(InferenceContext ctx) {
        TensorType base = ctx.inputType(0);
        TensorType exponent = ctx.inputType(1);
        check(ctx, base.dtype(), exponent.dtype());
        return List.of(new TensorType(base.dtype(), Elementwise.broadcastDims(ctx, List.of(base, exponent))));
    }

    private static void check(OpContext ctx, DataType base, DataType exponent) {
        Elementwise.check(ctx, "base", base, Elementwise.NUMERIC);
        Elementwise.check(ctx, "exponent", exponent, Elementwise.NUMERIC);
    }

    @Override
    public List<Tensor> evaluate(EvalContext ctx) {
        Tensor base = ctx.input(0);
        Tensor exponent = ctx.input(1);
        check(ctx, base.dtype(), exponent.dtype());
        int[] shape = Elementwise.broadcastShape(ctx, base, exponent);
        int[] ib = Broadcast.indexMap(base.shape(), shape);
        int[] ie = Broadcast.indexMap(exponent.shape(), shape);
        DataType t = base.dtype();
        if (t.isFloat()) {
            double[] out = new double[ib.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = Math.pow(base.getDouble(ib[i]), exponent.getDouble(ie[i]));
            }
            return List.of(Tensor.ofDoubles(t, shape, out));
        }
        long[] out = new long[ib.length];
        boolean floatExponent = exponent.dtype().isFloat();
        for (int i = 0; i < out.length; i++) {
            long b = base.getLong(ib[i]);
            long v = floatExponent ? (long) Math.pow(b, exponent.getDouble(ie[i]))
                    : integerPower(ctx, b, exponent.getLong(ie[i]));
            out[i] = Elementwise.wrap(t, v);
        }
        return List.of(Tensor.of(t, shape, out));
    }

    /** b^e exactly modulo 2^64; for e < 0 the mathematical result truncated toward zero. */
    static long integerPower(OpContext ctx, long b, long e) {
        if (e < 0) {
            if (b == 0) {
                throw ctx.fail("integer 0 raised to the negative power " + e);
            }
            return b == 1 ? 1 : b == -1 ? ((e & 1) == 0 ? 1 : -1) : 0;
        }
        long result = 1;
        while (e > 0) {
            if ((e & 1) != 0) {
                result *= b;
            }
            b *= b;
            e >>= 1;
        }
        return result;
    }
}
