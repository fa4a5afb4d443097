package dev.octet.ir.op.math;

import dev.octet.ir.OctetException;
import dev.octet.ir.Shapes;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.op.EvalContext;
import dev.octet.ir.op.InferenceContext;
import dev.octet.ir.op.OpContext;
import dev.octet.ir.op.Operator;
import java.util.List;

/**
 * Softmax and LogSoftmax, whose meaning changed at opset 13: before it, the input is seen as a 2-D matrix split at
 * {@code axis} (default 1) and each row is normalised; from 13, each 1-D slice along {@code axis} (default -1) is.
 * Computed in double, the row's maximum subtracted first so that large inputs do not overflow.
 */
abstract class SoftmaxFamily implements Operator {
    private final String opType;
    private final boolean log;

    SoftmaxFamily(String opType, boolean log) {
        this.opType = opType;
        this.log = log;
    }

    @Override
    public final String opType() {
        return opType;
    }

    @Override
    public List<TensorType> inferTypes(InferenceContext ctx) {
        TensorType x = ctx.inputType(0);
        Elementwise.check(ctx, "input", x.dtype(), Elementwise.FLOATS);
        axis(ctx, x.rank());
        return List.of(x);
    }

    private static int axis(OpContext ctx, int rank) {
        long axis = ctx.attrs().getInt("axis", ctx.opset() < 13 ? 1 : -1);
        try {
            return Shapes.axis(axis, rank, "axis");
        } catch (OctetException e) {
            throw ctx.fail(e.getMessage());
        }
    }

    @Override
    public List<Tensor> evaluate(EvalContext ctx) {
        Tensor x = ctx.input(0);
        int[] shape = x.shape();
        int axis = axis(ctx, shape.length);
        // The input as [outer, n, inner]: each of the outer·inner slices of length n (stride inner) is normalised.
        int outer = 1;
        for (int d = 0; d < axis; d++) {
            outer *= shape[d];
        }
        int n = 1;
        int inner = 1;
        for (int d = axis; d < shape.length; d++) {
            if (d == axis || ctx.opset() < 13) {
                n *= shape[d];
            } else {
                inner *= shape[d];
            }
        }
        double[] out = new double[x.size()];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int base = o * n * inner + i;
                double max = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < n; k++) {
                    max = Math.max(max, x.getDouble(base + k * inner));
                }
                double sum = 0;
                for (int k = 0; k < n; k++) {
                    sum += Math.exp(x.getDouble(base + k * inner) - max);
                }
                for (int k = 0; k < n; k++) {
                    double shifted = x.getDouble(base + k * inner) - max;
                    out[base + k * inner] = log ? shifted - Math.log(sum) : Math.exp(shifted) / sum;
                }
            }
        }
        return List.of(Tensor.ofDoubles(x.dtype(), shape, out));
    }
}
