package dev.octet.ir.op.quant;

import dev.octet.ir.DataType;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.op.EvalContext;
import dev.octet.ir.op.InferenceContext;
import dev.octet.ir.op.Operator;
import java.util.List;

/**
 * Octet's int8 table lookup (domain "octet"): {@code Y[i] = Table[X[i] − min(X's type)]}. What a float island with
 * one 8-bit input and one 8-bit output computes, DequantizeLinear → elementwise float operators → QuantizeLinear
 * (HardSwish, HardSigmoid, Sigmoid...), has only 256 possible results; the table holds them, computed by the
 * reference operators themselves, so the lookup is exactly the float island. Inputs: X (uint8 or int8), Table (256
 * values of the output type, in the order of X's values from its minimum).
 */
final class QLinearLookup implements Operator {
    static final int ENTRIES = 256;

    @Override
    public String opType() {
        return "QLinearLookup";
    }

    @Override
    public String domain() {
        return "octet";
    }

    @Override
    public List<TensorType> inferTypes(InferenceContext ctx) {
        TensorType x = ctx.inputType(0);
        TensorType table = ctx.inputType(1);
        IntegerConvolution.checkOperand(ctx, x, null, "X");
        IntegerConvolution.checkOperand(ctx, table, null, "Table");
        if (table.rank() != 1 || table.dims().getFirst().isKnown() && table.dims().getFirst().value() != ENTRIES) {
            throw ctx.fail("Table " + table + " must hold " + ENTRIES + " values");
        }
        return List.of(new TensorType(table.dtype(), x.dims()));
    }

    @Override
    public List<Tensor> evaluate(EvalContext ctx) {
        Tensor x = ctx.input(0);
        Tensor table = ctx.input(1);
        if (table.size() != ENTRIES) {
            throw ctx.fail("Table holds " + table.size() + " values, expected " + ENTRIES);
        }
        long min = x.dtype().minValue();
        long[] xs = x.longs();
        long[] t = table.longs();
        byte[] y = new byte[xs.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = (byte) t[(int) (xs[i] - min)];
        }
        DataType type = table.dtype();
        return List.of(Tensor.ofBytes(type, x.shape(), y));
    }
}
