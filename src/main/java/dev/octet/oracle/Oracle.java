package dev.octet.oracle;

import dev.octet.ir.Tensor;
import java.util.Map;
import java.util.Set;

/**
 * Another implementation of a model that Octet's results are checked against. Implementations hold native
 * resources: close them.
 */
public interface Oracle extends AutoCloseable {
    /** A name for messages, with the version: "ONNX Runtime 1.29.0". */
    String name();

    /**
     * Runs the model on the inputs.
     *
     * @return every graph output by name, in the graph's order
     * @throws dev.octet.ir.OctetException where the oracle rejects the model or the inputs
     */
    Map<String, Tensor> run(Map<String, Tensor> inputs);

    /**
     * Runs the model and also returns the intermediate values named in {@code alsoReturn} (values that are not
     * graph outputs; an oracle may compute the graph differently while it has to keep them, e.g. fuse less).
     *
     * @return the graph outputs, then the values asked for
     */
    Map<String, Tensor> run(Map<String, Tensor> inputs, Set<String> alsoReturn);

    @Override
    void close();
}
