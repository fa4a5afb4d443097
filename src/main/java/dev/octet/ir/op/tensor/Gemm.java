package dev.octet.ir.op.tensor;

import dev.octet.ir.Dim;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.op.Broadcast;
import dev.octet.ir.op.EvalContext;
import dev.octet.ir.op.InferenceContext;
import dev.octet.ir.op.OpContext;
import dev.octet.ir.op.Operator;
import java.util.List;

/**
 * Gemm (opsets 9, 11, 13): Y = alpha·A'·B' + beta·C with A' and B' optionally transposed and C broadcast to
 * [M, N] (optional from opset 11). Computed in double and rounded once.
 */
final class Gemm implements Operator {
    @Override
    public String opType() {
        return "Gemm";
    }

    @Override
    public List<TensorType> inferTypes(InferenceContext ctx) {
        TensorType a = ctx.inputType(0);
        TensorType b = ctx.inputType(1);
        Matrices.checkTypes(ctx, a.dtype(), b.dtype());
        TensorType c = ctx.hasInput(2) ? ctx.inputType(2) : null;
        if (c != null && c.dtype() != a.dtype()) {
            throw ctx.fail("C is " + c.dtype().shortName() + ", A is " + a.dtype().shortName());
        }
        return List.of(new TensorType(a.dtype(), outputDims(ctx, a.dims(), b.dims(), c == null ? null : c.dims())));
    }

    @Override
    public List<Tensor> evaluate(EvalContext ctx) {
        Tensor a = ctx.input(0);
        Tensor b = ctx.input(1);
        Tensor c = ctx.hasInput(2) ? ctx.input(2) : null;
        List<Dim> dims = outputDims(ctx, Dims.of(a.shape()), Dims.of(b.shape()), c == null ? null : Dims.of(c.shape()));
        int[] shape = Dims.concrete(dims, "Gemm");
        int m = shape[0];
        int n = shape[1];
        boolean transA = ctx.attrs().getInt("transA", 0) != 0;
        boolean transB = ctx.attrs().getInt("transB", 0) != 0;
        int k = transA ? a.dim(0) : a.dim(1);
        var aView = transA ? new Matrices.View(0, 1, m) : new Matrices.View(0, k, 1);
        var bView = transB ? new Matrices.View(0, 1, k) : new Matrices.View(0, n, 1);
        double alpha = ctx.attrs().getFloat("alpha", 1f);
        double beta = ctx.attrs().getFloat("beta", 1f);
        int[] cMap = c == null ? null : Broadcast.indexMap(c.shape(), shape);
        if (a.dtype().isFloat()) {
            double[] ab = new double[m * n];
            Matrices.multiply(a.toDoubles(), aView, b.toDoubles(), bView, m, k, n, ab, 0);
            for (int i = 0; i < ab.length; i++) {
                ab[i] = alpha * ab[i] + (c == null ? 0 : beta * c.getDouble(cMap[i]));
            }
            return List.of(Matrices.result(a.dtype(), shape, ab));
        }
        long ia = integral(ctx, "alpha", alpha);
        long ib = integral(ctx, "beta", beta);
        long[] ab = new long[m * n];
        Matrices.multiply(a.longs(), aView, b.longs(), bView, m, k, n, ab, 0);
        for (int i = 0; i < ab.length; i++) {
            ab[i] = ia * ab[i] + (c == null ? 0 : ib * c.getLong(cMap[i]));
        }
        return List.of(Matrices.result(a.dtype(), shape, ab));
    }

    private static long integral(OpContext ctx, String name, double v) {
        if (v != Math.rint(v) || Math.abs(v) > 1 << 24) {
            throw ctx.unsupported("integer Gemm with a non-integral " + name + " " + v);
        }
        return (long) v;
    }

    private static List<Dim> outputDims(OpContext ctx, List<Dim> a, List<Dim> b, List<Dim> c) {
        if (a.size() != 2 || b.size() != 2) {
            throw ctx.fail("A and B must be matrices, got " + a + " and " + b);
        }
        boolean transA = ctx.attrs().getInt("transA", 0) != 0;
        boolean transB = ctx.attrs().getInt("transB", 0) != 0;
        Dim m = a.get(transA ? 1 : 0);
        Dim ka = a.get(transA ? 0 : 1);
        Dim kb = b.get(transB ? 1 : 0);
        Dim n = b.get(transB ? 0 : 1);
        if (ka.isKnown() && kb.isKnown() && ka.value() != kb.value()) {
            throw ctx.fail("A " + a + " and B " + b + " do not agree on the inner dimension (transA "
                    + transA + ", transB " + transB + ")");
        }
        List<Dim> out = List.of(m, n);
        if (c != null) {
            List<Dim> both = Broadcast.dims(List.of(out, c));
            for (int i = 0; i < 2; i++) {
                Dim d = both.get(i);
                if (c.size() > 2 || (d.isKnown() && out.get(i).isKnown() && d.value() != out.get(i).value())) {
                    throw ctx.fail("C " + c + " does not broadcast to [M, N] = " + out);
                }
            }
        }
        return out;
    }
}
