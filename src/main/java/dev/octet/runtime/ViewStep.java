package dev.octet.runtime;

import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;

/**
 * Reshape, Flatten, Squeeze, Unsqueeze and Identity without a copy: the output shares the input's values under the
 * shape this run's inference gives it (tensors are immutable, so sharing is safe). Where that shape is not known
 * before running, the reference step runs instead.
 */
public final class ViewStep implements Step {
    private final String input;
    private final String output;
    private final Step reference;
    private final String opType;

    public ViewStep(String input, String output, Step reference, String opType) {
        this.input = input;
        this.output = output;
        this.reference = reference;
        this.opType = opType;
    }

    @Override
    public void run(ExecutionContext ctx) {
        Tensor x = ctx.get(input);
        TensorType t = ctx.hasStaticType(output) ? ctx.type(output) : null;
        if (t == null || t.dtype() != x.dtype() || t.elementCount() != x.size()) {
            ctx.runReference(reference, this);
            return;
        }
        ctx.put(output, x.reshape(t.shape()));
    }

    @Override
    public String describe() {
        return "view " + opType;
    }
}
