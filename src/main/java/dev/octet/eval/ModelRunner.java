package dev.octet.eval;

import dev.octet.ir.Graph;
import dev.octet.ir.Tensor;
import dev.octet.runtime.CompiledModel;
import dev.octet.runtime.ReferenceInterpreter;
import java.util.Map;
import java.util.function.Function;

/**
 * Anything that maps a model's inputs to its outputs: a compiled fp32 or int8 model, the reference interpreter, a
 * model with deliberately damaged weights. The evaluators see only this, so any of them can be measured the same
 * way. Evaluators feed one image tensor to {@link #inputName()} and read the first output (or all, to compare).
 */
public interface ModelRunner {
    /** The outputs by name, in the model's order. */
    Map<String, Tensor> run(Map<String, Tensor> inputs);

    /** The name of the image input. */
    String inputName();

    /** A short description for reports ("native kernels", "reference interpreter", "int8 ..."). */
    default String description() {
        return "model";
    }

    /** Runs one image tensor and returns the first output. */
    default Tensor runImage(Tensor image) {
        return run(Map.of(inputName(), image)).values().iterator().next();
    }

    /** A compiled model (fp32 or int8); the caller keeps it and closes it. */
    static ModelRunner of(CompiledModel model) {
        return of(model.graph().inputs().getFirst().name(), model::run, model.backendDescription());
    }

    /** The reference interpreter on a graph: exact and slow. */
    static ModelRunner reference(Graph graph) {
        ReferenceInterpreter interpreter = new ReferenceInterpreter(graph);
        return of(graph.inputs().getFirst().name(), interpreter::run, "reference interpreter");
    }

    /** Any function from inputs to outputs. */
    static ModelRunner of(String inputName, Function<Map<String, Tensor>, Map<String, Tensor>> run,
            String description) {
        return new ModelRunner() {
            @Override
            public Map<String, Tensor> run(Map<String, Tensor> inputs) {
                return run.apply(inputs);
            }

            @Override
            public String inputName() {
                return inputName;
            }

            @Override
            public String description() {
                return description;
            }
        };
    }
}
