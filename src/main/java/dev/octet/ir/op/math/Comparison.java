package dev.octet.ir.op.math;

import dev.octet.ir.DataType;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.op.Broadcast;
import dev.octet.ir.op.EvalContext;
import dev.octet.ir.op.InferenceContext;
import dev.octet.ir.op.Operator;
import java.util.List;
import java.util.Set;

/**
 * An elementwise comparison of two inputs of one element type, broadcast together, giving BOOL. Floats compare as
 * doubles (exact; NaN compares false), integers and booleans as longs.
 */
abstract class Comparison implements Operator {
    private final String opType;
    private final Set<DataType> types;

    Comparison(String opType, Set<DataType> types) {
        this.opType = opType;
        this.types = types;
    }

    @Override
    public final String opType() {
        return opType;
    }

    abstract boolean test(double a, double b);

    abstract boolean test(long a, long b);

    @Override
    public List<TensorType> inferTypes(InferenceContext ctx) {
        TensorType a = ctx.inputType(0);
        TensorType b = ctx.inputType(1);
        Elementwise.check(ctx, "input A", a.dtype(), types);
        Elementwise.checkSame(ctx, a, b);
        return List.of(new TensorType(DataType.BOOL, Elementwise.broadcastDims(ctx, List.of(a, b))));
    }

    @Override
    public List<Tensor> evaluate(EvalContext ctx) {
        Tensor a = ctx.input(0);
        Tensor b = ctx.input(1);
        Elementwise.check(ctx, "input A", a.dtype(), types);
        Elementwise.checkSame(ctx, a.type(), b.type());
        int[] shape = Elementwise.broadcastShape(ctx, a, b);
        int[] ia = Broadcast.indexMap(a.shape(), shape);
        int[] ib = Broadcast.indexMap(b.shape(), shape);
        boolean[] out = new boolean[ia.length];
        boolean floats = a.dtype().isFloat();
        for (int i = 0; i < out.length; i++) {
            out[i] = floats ? test(a.getDouble(ia[i]), b.getDouble(ib[i]))
                    : test(a.getLong(ia[i]), b.getLong(ib[i]));
        }
        return List.of(Tensor.ofBooleans(shape, out));
    }
}
