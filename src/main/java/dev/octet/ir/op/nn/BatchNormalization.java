package dev.octet.ir.op.nn;

import dev.octet.ir.Dim;
import dev.octet.ir.Shapes;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.op.EvalContext;
import dev.octet.ir.op.InferenceContext;
import dev.octet.ir.op.OpContext;
import dev.octet.ir.op.Operator;
import java.util.Arrays;
import java.util.List;

/**
 * ONNX BatchNormalization (opsets 9-15), per channel c of X [N, C, ...], in double, rounded once:
 *
 * <pre>
 *   y = (x − mean[c]) / sqrt(var[c] + epsilon) · scale[c] + B[c]
 * </pre>
 *
 * <p>With training_mode = 1 (opset 14+) mean and var are the batch's own (population variance over N and the
 * spatial axes) and the outputs running_mean = mean_in · momentum + mean · (1 − momentum), likewise running_var,
 * follow Y. The training outputs of opsets before 14 (saved mean and variance) are not supported.
 */
public final class BatchNormalization implements Operator {
    @Override
    public String opType() {
        return "BatchNormalization";
    }

    @Override
    public List<TensorType> inferTypes(InferenceContext ctx) {
        TensorType x = ctx.inputType(0);
        Conv.checkFloat(ctx, x.dtype(), "X");
        if (x.rank() < 2) {
            throw ctx.fail("input X must be N x C x ... (rank 2 or more), got " + x);
        }
        Dim c = x.dims().get(1);
        String[] names = {"scale", "B", "mean", "var"};
        for (int i = 1; i <= 4; i++) {
            TensorType p = ctx.inputType(i);
            Conv.checkFloat(ctx, p.dtype(), names[i - 1]);
            boolean sizeOk = !c.isKnown() || p.rank() != 1 || !p.dims().get(0).isKnown() || p.dims().get(0).equals(c);
            if (p.rank() != 1 || !sizeOk) {
                throw ctx.fail(names[i - 1] + " must be a vector of one value per channel (" + c + "), got " + p);
            }
        }
        TensorType y = new TensorType(x.dtype(), x.dims());
        if (!training(ctx)) {
            return List.of(y);
        }
        TensorType stats = new TensorType(ctx.inputType(3).dtype(), List.of(c));
        return List.of(y, stats, stats);
    }

    @Override
    public List<Tensor> evaluate(EvalContext ctx) {
        Tensor xt = ctx.input(0);
        int[] shape = xt.shape();
        int batch = shape[0];
        int channels = shape[1];
        int plane = Shapes.size(Arrays.copyOfRange(shape, 2, shape.length));
        double[] x = xt.toDoubles();
        double[] scale = vector(ctx, 1, channels);
        double[] bias = vector(ctx, 2, channels);
        double[] mean = vector(ctx, 3, channels);
        double[] var = vector(ctx, 4, channels);
        double epsilon = ctx.attrs().getFloat("epsilon", 1e-5f);
        boolean training = training(ctx);
        double[] batchMean = new double[channels];
        double[] batchVar = new double[channels];
        if (training) {
            for (int c = 0; c < channels; c++) {
                double sum = 0;
                for (int n = 0; n < batch; n++) {
                    for (int i = (n * channels + c) * plane, end = i + plane; i < end; i++) {
                        sum += x[i];
                    }
                }
                batchMean[c] = sum / ((double) batch * plane);
                double squares = 0;
                for (int n = 0; n < batch; n++) {
                    for (int i = (n * channels + c) * plane, end = i + plane; i < end; i++) {
                        squares += (x[i] - batchMean[c]) * (x[i] - batchMean[c]);
                    }
                }
                batchVar[c] = squares / ((double) batch * plane);
            }
        }
        double[] useMean = training ? batchMean : mean;
        double[] useVar = training ? batchVar : var;
        double[] y = new double[x.length];
        for (int n = 0; n < batch; n++) {
            for (int c = 0; c < channels; c++) {
                double invStd = 1 / Math.sqrt(useVar[c] + epsilon);
                for (int i = (n * channels + c) * plane, end = i + plane; i < end; i++) {
                    y[i] = (x[i] - useMean[c]) * invStd * scale[c] + bias[c];
                }
            }
        }
        Tensor yt = Tensor.ofDoubles(xt.dtype(), shape, y);
        if (!training) {
            return List.of(yt);
        }
        double momentum = ctx.attrs().getFloat("momentum", 0.9f);
        double[] runningMean = new double[channels];
        double[] runningVar = new double[channels];
        for (int c = 0; c < channels; c++) {
            runningMean[c] = mean[c] * momentum + batchMean[c] * (1 - momentum);
            runningVar[c] = var[c] * momentum + batchVar[c] * (1 - momentum);
        }
        int[] cShape = {channels};
        return List.of(yt, Tensor.ofDoubles(ctx.input(3).dtype(), cShape, runningMean),
                Tensor.ofDoubles(ctx.input(4).dtype(), cShape, runningVar));
    }

    /** Whether the batch statistics are used (training_mode, opset 14+); rejects training outputs otherwise. */
    private static boolean training(OpContext ctx) {
        int extraOutputs = (int) ctx.node().outputs().stream().skip(1).filter(o -> !o.isEmpty()).count();
        if (ctx.opset() < 14) {
            if (extraOutputs > 0) {
                throw ctx.unsupported("the training outputs of BatchNormalization before opset 14 are not supported");
            }
            return false;
        }
        long mode = ctx.attrs().getInt("training_mode", 0);
        if (mode != 0 && mode != 1) {
            throw ctx.fail("attribute 'training_mode' is " + mode + ", expected 0 or 1");
        }
        if (mode == 0 && extraOutputs > 0) {
            throw ctx.fail("outputs running_mean and running_var exist only with training_mode = 1");
        }
        return mode == 1;
    }

    private static double[] vector(EvalContext ctx, int input, int channels) {
        Tensor t = ctx.input(input);
        if (t.size() != channels) {
            throw ctx.fail("input " + input + " has " + t.size() + " values, expected one per channel (" + channels
                    + ")");
        }
        return t.toDoubles();
    }
}
