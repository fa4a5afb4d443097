package dev.octet.runtime;

import dev.octet.ir.DataType;
import dev.octet.ir.Tensor;

/**
 * fp32 ReduceMean over the last axis with keepdims (a layer norm's mean and variance), as the reference computes it:
 * the row summed in double in order, divided by its length, rounded once. Other axes or types run the reference.
 */
public final class ReduceMeanStep implements Step {
    private final String input;
    private final String output;
    private final long axis;
    private final Step reference;

    /** @param axis the one reduced axis (negative counts from the end) */
    public ReduceMeanStep(String input, String output, long axis, Step reference) {
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
        if (x.dtype() != DataType.FLOAT || rank == 0 || a != rank - 1 || x.dim(rank - 1) == 0) {
            ctx.runReference(reference, this);
            return;
        }
        int n = x.dim(rank - 1);
        float[] s = x.floats();
        float[] d = ctx.allocate(s.length / n);
        for (int r = 0; r < d.length; r++) {
            double sum = 0;
            for (int k = r * n; k < r * n + n; k++) {
                sum += s[k];
            }
            d[r] = (float) (sum / n);
        }
        int[] shape = x.shape();
        shape[rank - 1] = 1;
        ctx.put(output, Tensor.of(DataType.FLOAT, shape, d));
    }

    @Override
    public String describe() {
        return "java ReduceMean";
    }
}
