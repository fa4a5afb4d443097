package dev.octet.ir.op;

import dev.octet.ir.Node;
import dev.octet.ir.Tensor;
import java.util.List;

/** Input values of a node during reference evaluation. */
public final class EvalContext extends OpContext {
    private final List<Tensor> inputs;

    /** @param inputs one per node input, null where the input is absent */
    public EvalContext(Node node, int opset, List<Tensor> inputs) {
        super(node, opset);
        this.inputs = inputs;
    }

    /** Input i; fails clearly if the (required) input is absent. */
    public Tensor input(int i) {
        if (i >= inputs.size() || inputs.get(i) == null) {
            throw fail("input " + i + " is required");
        }
        return inputs.get(i);
    }

    /** Input i, or null where the optional input is absent. */
    public Tensor optionalInput(int i) {
        return i < inputs.size() ? inputs.get(i) : null;
    }
}
