package dev.octet.runtime;

import dev.octet.ir.DataType;
import dev.octet.ir.Tensor;

/**
 * fp32 Softmax over the last axis (attention maps, a recogniser's class scores), computed as the reference computes
 * it, in double with the row's maximum subtracted first, each e^(x − max) evaluated once and kept for the division,
 * the result rounded once to fp32: the same values as the reference without its per-element accessors and second
 * exponential. Any other axis or type runs the reference step.
 */
public final class SoftmaxStep extends LastAxisFloatStep {
    /**
     * @param axis the node's axis attribute with its opset's default (negative counts from the end); where it is
     *     the last axis, opsets before 13 (which flatten the input at the axis) and after mean the same rows
     */
    public SoftmaxStep(String input, String output, long axis, Step reference) {
        super(input, output, axis, reference);
    }

    @Override
    Tensor rows(Tensor x, int n, ExecutionContext ctx) {
        float[] src = x.floats();
        float[] dst = ctx.allocate(src.length);
        double[] e = new double[n];
        for (int base = 0; base < src.length; base += n) {
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < n; k++) {
                max = Math.max(max, src[base + k]);
            }
            double sum = 0;
            for (int k = 0; k < n; k++) {
                e[k] = Math.exp(src[base + k] - max);
                sum += e[k];
            }
            for (int k = 0; k < n; k++) {
                dst[base + k] = (float) (e[k] / sum);
            }
        }
        return Tensor.of(DataType.FLOAT, x.shape(), dst);
    }

    @Override
    public String describe() {
        return "java Softmax";
    }
}
