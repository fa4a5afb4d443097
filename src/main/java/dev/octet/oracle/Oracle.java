package dev.octet.oracle;

import dev.octet.ir.Tensor;
import java.util.Map;

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

    @Override
    void close();
}
