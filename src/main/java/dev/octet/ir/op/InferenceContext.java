package dev.octet.ir.op;

import dev.octet.ir.Node;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import java.util.List;

/** Inputs of a node during type inference: their types, and their values where they are constant. */
public final class InferenceContext extends OpContext {
    private final List<TensorType> inputTypes;
    private final List<Tensor> constants;

    /**
     * @param inputTypes one per node input, null where the input is absent
     * @param constants one per node input, null where the value is not known before running
     */
    public InferenceContext(Node node, int opset, List<TensorType> inputTypes, List<Tensor> constants) {
        super(node, opset);
        this.inputTypes = inputTypes;
        this.constants = constants;
    }

    /** The type of input i; fails clearly if the (required) input is absent. */
    public TensorType inputType(int i) {
        if (i >= inputTypes.size() || inputTypes.get(i) == null) {
            throw fail("input " + i + " is required");
        }
        return inputTypes.get(i);
    }

    /** The value of input i if it is known before running (an initializer or a folded constant), else null. */
    public Tensor constant(int i) {
        return i < constants.size() ? constants.get(i) : null;
    }
}
