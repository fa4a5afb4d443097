package dev.octet.ir.op.math;

import dev.octet.ir.Dim;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.op.Broadcast;
import dev.octet.ir.op.EvalContext;
import dev.octet.ir.op.InferenceContext;
import dev.octet.ir.op.Operator;
import java.util.Arrays;
import java.util.List;

/**
 * ONNX PRelu: x for x &ge; 0, slope·x below. The slope broadcasts to the shape of x (one direction only: the
 * output always has x's shape). Integer types (opset 16) are exact.
 */
final class PRelu implements Operator {
    @Override
    public String opType() {
        return "PRelu";
    }

    @Override
    public List<TensorType> inferTypes(InferenceContext ctx) {
        TensorType x = ctx.inputType(0);
        TensorType slope = ctx.inputType(1);
        Elementwise.check(ctx, "input", x.dtype(), Elementwise.NUMERIC);
        Elementwise.checkSame(ctx, x, slope);
        if (slope.rank() > x.rank()) {
            throw ctx.fail("slope " + slope + " has a higher rank than the input " + x);
        }
        List<Dim> dims = Elementwise.broadcastDims(ctx, List.of(x, slope));
        for (int i = 0; i < x.rank(); i++) {
            Dim d = x.dims().get(i);
            if (d.isKnown() && dims.get(i).isKnown() && d.value() != dims.get(i).value()) {
                throw ctx.fail("slope " + slope + " does not broadcast to the input " + x);
            }
        }
        return List.of(x);
    }

    @Override
    public List<Tensor> evaluate(EvalContext ctx) {
        Tensor x = ctx.input(0);
        Tensor slope = ctx.input(1);
        Elementwise.checkSame(ctx, x.type(), slope.type());
        if (!Arrays.equals(Elementwise.broadcastShape(ctx, x, slope), x.shape())) {
            throw ctx.fail("slope of shape " + Arrays.toString(slope.shape()) + " does not broadcast to the input's "
                    + Arrays.toString(x.shape()));
        }
        int[] is = Broadcast.indexMap(slope.shape(), x.shape());
        if (x.dtype().isFloat()) {
            double[] out = new double[x.size()];
            for (int i = 0; i < out.length; i++) {
                double v = x.getDouble(i);
                out[i] = v < 0 ? slope.getDouble(is[i]) * v : v;
            }
            return List.of(Tensor.ofDoubles(x.dtype(), x.shape(), out));
        }
        long[] out = new long[x.size()];
        for (int i = 0; i < out.length; i++) {
            long v = x.getLong(i);
            out[i] = Elementwise.wrap(x.dtype(), v < 0 ? slope.getLong(is[i]) * v : v);
        }
        return List.of(Tensor.of(x.dtype(), x.shape(), out));
    }
}
