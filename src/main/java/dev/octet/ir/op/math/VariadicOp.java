package dev.octet.ir.op.math;

import dev.octet.ir.DataType;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.op.Broadcast;
import dev.octet.ir.op.EvalContext;
import dev.octet.ir.op.InferenceContext;
import dev.octet.ir.op.Operator;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * An elementwise operator of one or more inputs of one type, all broadcast together (Min, Max, Sum, Mean). A
 * subclass combines the values that meet at one output element: floats in double, rounded once; integers exactly.
 */
abstract class VariadicOp implements Operator {
    private final String opType;
    private final Set<DataType> types;

    VariadicOp(String opType, Set<DataType> types) {
        this.opType = opType;
        this.types = types;
    }

    @Override
    public final String opType() {
        return opType;
    }

    abstract double combine(double[] values);

    /** Only called where {@link #types} holds integer types. */
    long combine(long[] values) {
        throw new IllegalStateException(opType + " has no integer function");
    }

    @Override
    public List<TensorType> inferTypes(InferenceContext ctx) {
        if (ctx.inputCount() == 0) {
            throw ctx.fail("needs at least one input");
        }
        List<TensorType> in = new ArrayList<>();
        for (int i = 0; i < ctx.inputCount(); i++) {
            in.add(ctx.inputType(i));
            Elementwise.checkSame(ctx, in.get(0), in.get(i));
        }
        Elementwise.check(ctx, "input", in.get(0).dtype(), types);
        return List.of(new TensorType(in.get(0).dtype(), Elementwise.broadcastDims(ctx, in)));
    }

    @Override
    public List<Tensor> evaluate(EvalContext ctx) {
        int n = ctx.inputCount();
        Tensor[] in = new Tensor[n];
        for (int i = 0; i < n; i++) {
            in[i] = ctx.input(i);
            Elementwise.checkSame(ctx, in[0].type(), in[i].type());
        }
        DataType t = in[0].dtype();
        Elementwise.check(ctx, "input", t, types);
        int[] shape = Elementwise.broadcastShape(ctx, in);
        int[][] maps = new int[n][];
        for (int i = 0; i < n; i++) {
            maps[i] = Broadcast.indexMap(in[i].shape(), shape);
        }
        int size = maps[0].length;
        if (t.isFloat()) {
            double[] out = new double[size];
            double[] values = new double[n];
            for (int e = 0; e < size; e++) {
                for (int i = 0; i < n; i++) {
                    values[i] = in[i].getDouble(maps[i][e]);
                }
                out[e] = combine(values);
            }
            return List.of(Tensor.ofDoubles(t, shape, out));
        }
        long[] out = new long[size];
        long[] values = new long[n];
        for (int e = 0; e < size; e++) {
            for (int i = 0; i < n; i++) {
                values[i] = in[i].getLong(maps[i][e]);
            }
            out[e] = Elementwise.wrap(t, combine(values));
        }
        return List.of(Tensor.of(t, shape, out));
    }
}
