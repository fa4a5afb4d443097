package dev.octet.ir.op.nn;

import dev.octet.ir.Dim;
import dev.octet.ir.Shapes;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.op.EvalContext;
import dev.octet.ir.op.InferenceContext;
import dev.octet.ir.op.Operator;
import java.util.Arrays;
import java.util.List;

/**
 * ONNX InstanceNormalization (opset 6): each N x C plane normalized by its own mean and population variance, in
 * double, rounded once: y = (x − mean) / sqrt(var + epsilon) · scale[c] + B[c].
 */
final class InstanceNormalization implements Operator {
    @Override
    public String opType() {
        return "InstanceNormalization";
    }

    @Override
    public List<TensorType> inferTypes(InferenceContext ctx) {
        TensorType x = ctx.inputType(0);
        Conv.checkFloat(ctx, x.dtype(), "input");
        if (x.rank() < 3) {
            throw ctx.fail("input must be N x C x D1 x ... (rank 3 or more), got " + x);
        }
        Dim c = x.dims().get(1);
        for (int i = 1; i <= 2; i++) {
            TensorType p = ctx.inputType(i);
            Dim size = p.rank() == 1 ? p.dims().get(0) : null;
            if (p.dtype() != x.dtype() || size == null || (size.isKnown() && c.isKnown() && !size.equals(c))) {
                throw ctx.fail((i == 1 ? "scale" : "B") + " must be a " + x.dtype() + " vector of one value per "
                        + "channel (" + c + "), got " + p);
            }
        }
        return List.of(new TensorType(x.dtype(), x.dims()));
    }

    @Override
    public List<Tensor> evaluate(EvalContext ctx) {
        Tensor xt = ctx.input(0);
        int[] shape = xt.shape();
        int channels = shape[1];
        int plane = Shapes.size(Arrays.copyOfRange(shape, 2, shape.length));
        double[] scale = ctx.input(1).toDoubles();
        double[] bias = ctx.input(2).toDoubles();
        if (scale.length != channels || bias.length != channels) {
            throw ctx.fail("scale and B need " + channels + " values, got " + scale.length + " and " + bias.length);
        }
        double epsilon = ctx.attrs().getFloat("epsilon", 1e-5f);
        double[] x = xt.toDoubles();
        double[] y = new double[x.length];
        for (int p = 0; p < shape[0] * channels; p++) {
            int from = p * plane;
            int to = from + plane;
            double sum = 0;
            for (int i = from; i < to; i++) {
                sum += x[i];
            }
            double mean = sum / plane;
            double squares = 0;
            for (int i = from; i < to; i++) {
                squares += (x[i] - mean) * (x[i] - mean);
            }
            double invStd = 1 / Math.sqrt(squares / plane + epsilon);
            int c = p % channels;
            for (int i = from; i < to; i++) {
                y[i] = (x[i] - mean) * invStd * scale[c] + bias[c];
            }
        }
        return List.of(Tensor.ofDoubles(xt.dtype(), shape, y));
    }
}
