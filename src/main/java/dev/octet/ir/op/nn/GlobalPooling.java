package dev.octet.ir.op.nn;

import dev.octet.ir.Dim;
import dev.octet.ir.Shapes;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.op.EvalContext;
import dev.octet.ir.op.InferenceContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** What GlobalAveragePool and GlobalMaxPool share: the shape rule and a reduction over each N x C plane. */
final class GlobalPooling {
    /** A reduction of x[from..to), a non-empty range. */
    interface PlaneReduction {
        double reduce(double[] x, int from, int to);
    }

    private GlobalPooling() {
    }

    /** [N, C, 1, ...] of X's float type. */
    static TensorType outputType(InferenceContext ctx) {
        TensorType x = ctx.inputType(0);
        Conv.checkFloat(ctx, x.dtype(), "X");
        if (x.rank() < 3) {
            throw ctx.fail("input X must be N x C x D1 x ... (rank 3 or more), got " + x);
        }
        List<Dim> dims = new ArrayList<>(x.dims().subList(0, 2));
        for (int i = 2; i < x.rank(); i++) {
            if (x.dims().get(i).isKnown() && x.dims().get(i).value() == 0) {
                throw ctx.fail("spatial axis " + (i - 2) + " of " + x + " is empty: there is nothing to pool");
            }
            dims.add(Dim.of(1));
        }
        return new TensorType(x.dtype(), dims);
    }

    /** Reduces each plane in double and rounds the result once to X's type. */
    static Tensor reduce(EvalContext ctx, PlaneReduction r) {
        Tensor xt = ctx.input(0);
        int[] shape = xt.shape();
        int planes = shape[0] * shape[1];
        int plane = Shapes.size(Arrays.copyOfRange(shape, 2, shape.length));
        if (plane == 0) {
            throw ctx.fail("X " + Arrays.toString(shape) + " has empty planes: there is nothing to pool");
        }
        double[] x = xt.toDoubles();
        double[] y = new double[planes];
        for (int p = 0; p < planes; p++) {
            y[p] = r.reduce(x, p * plane, (p + 1) * plane);
        }
        int[] out = shape.clone();
        Arrays.fill(out, 2, out.length, 1);
        return Tensor.ofDoubles(xt.dtype(), out, y);
    }
}
