package dev.octet.ir.op.tensor;

import dev.octet.ir.Dim;
import dev.octet.ir.Shapes;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.op.Broadcast;
import dev.octet.ir.op.EvalContext;
import dev.octet.ir.op.InferenceContext;
import dev.octet.ir.op.OpContext;
import dev.octet.ir.op.Operator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * MatMul (opsets 9, 13), as numpy.matmul: the last two axes are matrices, the leading ones broadcast batches; a
 * 1-D first input is a row vector and a 1-D second input a column vector, and their unit axis is dropped again.
 */
final class MatMul implements Operator {
    @Override
    public String opType() {
        return "MatMul";
    }

    @Override
    public List<TensorType> inferTypes(InferenceContext ctx) {
        TensorType a = ctx.inputType(0);
        TensorType b = ctx.inputType(1);
        Matrices.checkTypes(ctx, a.dtype(), b.dtype());
        return List.of(new TensorType(a.dtype(), outputDims(ctx, a.dims(), b.dims())));
    }

    @Override
    public List<Tensor> evaluate(EvalContext ctx) {
        Tensor a = ctx.input(0);
        Tensor b = ctx.input(1);
        int[] shape = Dims.concrete(outputDims(ctx, Dims.of(a.shape()), Dims.of(b.shape())), "MatMul");
        int[] as = a.rank() == 1 ? new int[] {1, a.dim(0)} : a.shape();
        int[] bs = b.rank() == 1 ? new int[] {b.dim(0), 1} : b.shape();
        int m = as[as.length - 2];
        int k = as[as.length - 1];
        int n = bs[bs.length - 1];
        int[] aBatch = Arrays.copyOf(as, as.length - 2);
        int[] bBatch = Arrays.copyOf(bs, bs.length - 2);
        int[] batch = Broadcast.shape(aBatch, bBatch);
        int[] aMap = Broadcast.indexMap(aBatch, batch);
        int[] bMap = Broadcast.indexMap(bBatch, batch);
        int size = Shapes.size(shape);
        Object av = Matrices.values(a);
        Object bv = Matrices.values(b);
        Object out = a.dtype().isFloat() ? new double[size] : new long[size];
        for (int i = 0; i < aMap.length; i++) {
            var aView = new Matrices.View(aMap[i] * m * k, k, 1);
            var bView = new Matrices.View(bMap[i] * k * n, n, 1);
            if (out instanceof double[] d) {
                Matrices.multiply((double[]) av, aView, (double[]) bv, bView, m, k, n, d, i * m * n);
            } else {
                Matrices.multiply((long[]) av, aView, (long[]) bv, bView, m, k, n, (long[]) out, i * m * n);
            }
        }
        return List.of(Matrices.result(a.dtype(), shape, out));
    }

    private static List<Dim> outputDims(OpContext ctx, List<Dim> a, List<Dim> b) {
        if (a.isEmpty() || b.isEmpty()) {
            throw ctx.fail("inputs must have rank 1 or more, got " + a + " and " + b);
        }
        List<Dim> as = a.size() == 1 ? List.of(Dim.of(1), a.get(0)) : a;
        List<Dim> bs = b.size() == 1 ? List.of(b.get(0), Dim.of(1)) : b;
        Dim ka = as.get(as.size() - 1);
        Dim kb = bs.get(bs.size() - 2);
        if (ka.isKnown() && kb.isKnown() && ka.value() != kb.value()) {
            throw ctx.fail("shapes " + a + " and " + b + " do not agree on the inner dimension");
        }
        List<Dim> out = new ArrayList<>(Broadcast.dims(
                List.of(as.subList(0, as.size() - 2), bs.subList(0, bs.size() - 2))));
        if (a.size() > 1) {
            out.add(as.get(as.size() - 2));
        }
        if (b.size() > 1) {
            out.add(bs.get(bs.size() - 1));
        }
        return out;
    }
}
