package dev.octet.ir.op.nn;

import dev.octet.ir.Shapes;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.op.EvalContext;
import dev.octet.ir.op.InferenceContext;
import dev.octet.ir.op.OpContext;
import dev.octet.ir.op.Operator;
import java.util.List;

/**
 * ONNX LpNormalization (opset 1): x divided by its L1 or L2 norm along one axis, in double, rounded once. A vector
 * of norm zero gives zeros, as ONNX Runtime (numpy's reference would give NaN).
 */
final class LpNormalization implements Operator {
    @Override
    public String opType() {
        return "LpNormalization";
    }

    @Override
    public List<TensorType> inferTypes(InferenceContext ctx) {
        TensorType x = ctx.inputType(0);
        Conv.checkFloat(ctx, x.dtype(), "input");
        axis(ctx, x.rank());
        order(ctx);
        return List.of(new TensorType(x.dtype(), x.dims()));
    }

    @Override
    public List<Tensor> evaluate(EvalContext ctx) {
        Tensor xt = ctx.input(0);
        int[] shape = xt.shape();
        int axis = axis(ctx, shape.length);
        boolean l1 = order(ctx) == 1;
        int len = shape[axis];
        int inner = Shapes.strides(shape)[axis];
        double[] x = xt.toDoubles();
        double[] y = new double[x.length];
        for (int outer = 0; outer < x.length / Math.max(1, len * inner); outer++) {
            for (int j = 0; j < inner; j++) {
                int base = outer * len * inner + j;
                double norm = 0;
                for (int i = 0; i < len; i++) {
                    double v = x[base + i * inner];
                    norm += l1 ? Math.abs(v) : v * v;
                }
                norm = l1 ? norm : Math.sqrt(norm);
                for (int i = 0; i < len; i++) {
                    y[base + i * inner] = norm == 0 ? 0 : x[base + i * inner] / norm;
                }
            }
        }
        return List.of(Tensor.ofDoubles(xt.dtype(), shape, y));
    }

    private static int axis(OpContext ctx, int rank) {
        long axis = ctx.attrs().getInt("axis", -1);
        if (rank == 0 || axis < -rank || axis >= rank) {
            throw ctx.fail("attribute 'axis' " + axis + " is out of range for rank " + rank);
        }
        return (int) (axis < 0 ? axis + rank : axis);
    }

    private static long order(OpContext ctx) {
        long p = ctx.attrs().getInt("p", 2);
        if (p != 1 && p != 2) {
            throw ctx.fail("attribute 'p' is " + p + ", expected 1 or 2");
        }
        return p;
    }
}
