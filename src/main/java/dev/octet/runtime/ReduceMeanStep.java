package dev.octet.runtime;

import dev.octet.ir.DataType;
import dev.octet.ir.Tensor;

/**
 * fp32 ReduceMean over the last axis with keepdims (a layer norm's mean and variance), as the reference computes it:
 * the row summed in double in order, divided by its length, rounded once. Other axes or types run the reference.
 */
public final class ReduceMeanStep extends LastAxisFloatStep {
    /** @param axis the one reduced axis (negative counts from the end) */
    public ReduceMeanStep(String input, String output, long axis, Step reference) {
        super(input, output, axis, reference);
    }

    /** Empty rows have no mean here: the reference says what they give. */
    @Override
    boolean handles(Tensor x) {
        return x.dim(x.rank() - 1) != 0;
    }

    @Override
    Tensor rows(Tensor x, int n, ExecutionContext ctx) {
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
        shape[x.rank() - 1] = 1;
        return Tensor.of(DataType.FLOAT, shape, d);
    }

    @Override
    public String describe() {
        return "java ReduceMean";
    }
}
