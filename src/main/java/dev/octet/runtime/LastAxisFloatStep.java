package dev.octet.runtime;

import dev.octet.ir.DataType;
import dev.octet.ir.Tensor;

/**
 * What {@link SoftmaxStep} and {@link ReduceMeanStep} share: an fp32 operation on the rows of the last axis, with
 * the node's axis resolved per input rank (negative counts from the end) at run time, since a step is compiled
 * once for every input shape. Any other axis or type runs the reference step.
 */
abstract class LastAxisFloatStep implements Step {
    private final String input;
    private final String output;
    private final long axis;
    private final Step reference;

    LastAxisFloatStep(String input, String output, long axis, Step reference) {
        this.input = input;
        this.output = output;
        this.axis = axis;
        this.reference = reference;
    }

    @Override
    public final void run(ExecutionContext ctx) {
        Tensor x = ctx.get(input);
        int rank = x.rank();
        long a = axis < 0 ? axis + rank : axis;
        if (x.dtype() != DataType.FLOAT || rank == 0 || a != rank - 1 || !handles(x)) {
            ctx.runReference(reference, this);
            return;
        }
        ctx.put(output, rows(x, x.dim(rank - 1), ctx));
    }

    /** Whether this step computes an fp32 input reduced over its last axis; the rest runs the reference. */
    boolean handles(Tensor x) {
        return true;
    }

    /** The result over rows of length {@code n} of {@code x}, an fp32 tensor of rank at least 1. */
    abstract Tensor rows(Tensor x, int n, ExecutionContext ctx);
}
