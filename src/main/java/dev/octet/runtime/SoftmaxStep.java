package dev.octet.runtime;

import dev.octet.ir.DataType;
import dev.octet.ir.Tensor;

/**
 * fp32 Softmax over the last axis (attention maps, a recogniser's class scores), computed as the reference computes
 * it, in double with the row's maximum subtracted first, each e^(x − max) evaluated once and kept for the division,
 * the result rounded once to fp32: the same values as the reference without its per-element accessors and second
 * exponential. Any other axis or type runs the reference step.
 */
public final class SoftmaxStep implements Step {
    private final String input;
    private final String output;
    private final long axis;
    private final Step reference;

    /**
     * @param axis the node's axis attribute with its opset's default (negative counts from the end); where it is
     *     the last axis, opsets before 13 (which flatten the input at the axis) and after mean the same rows
     */
    public SoftmaxStep(String input, String output, long axis, Step reference) {
        this.input = input;
        this.output = output;
        this.axis = axis;
        this.reference = reference;
    }

    @Override
    public void run(ExecutionContext ctx) {
        Tensor x = ctx.get(input);
        int rank = x.rank();
        long a = axis < 0 ? axis + rank : axis;
        if (x.dtype() != DataType.FLOAT || rank == 0 || a != rank - 1) {
            ctx.runReference(reference, this);
            return;
        }
        int n = x.dim(rank - 1);
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
        ctx.put(output, Tensor.of(DataType.FLOAT, x.shape(), dst));
    }

    @Override
    public String describe() {
        return "java Softmax";
    }
}
