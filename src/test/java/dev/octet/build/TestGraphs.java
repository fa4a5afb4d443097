package dev.octet.build;

import dev.octet.CompileOptions;
import dev.octet.ir.Graph;
import dev.octet.ir.Node;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.Value;
import dev.octet.ir.op.ShapeInference;
import dev.octet.runtime.CompiledModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small graphs built in code, compiled as Octet compiles a model and run beside the reference interpreter. */
final class TestGraphs {
    static final CompileOptions OPTIONS = CompileOptions.defaults().withThreads(2)
            .withCacheDir(Path.of("target", "test-native-cache"));

    private TestGraphs() {
    }

    /** A graph of the nodes with the given inputs and constants, whose outputs are {@code outputs} (types inferred). */
    static Graph graph(int opset, List<Node> nodes, Map<String, TensorType> inputs, Map<String, Tensor> constants,
            List<String> outputs) {
        List<Value> in = new ArrayList<>();
        inputs.forEach((n, t) -> in.add(new Value(n, t)));
        List<Value> placeholder = outputs.stream().map(o -> new Value(o, inputs.values().iterator().next())).toList();
        Graph draft = new Graph("test", in, placeholder, nodes, constants, Map.of(), Map.of("", opset));
        ShapeInference.Result types = ShapeInference.infer(draft, Map.of());
        List<Value> out = outputs.stream().map(o -> new Value(o, types.type(o))).toList();
        return new Graph("test", in, out, nodes, constants, Map.of(), Map.of("", opset));
    }

    /** The inputs' types, in order. */
    static Map<String, TensorType> types(Object... nameTypePairs) {
        Map<String, TensorType> m = new LinkedHashMap<>();
        for (int i = 0; i < nameTypePairs.length; i += 2) {
            m.put((String) nameTypePairs[i], (TensorType) nameTypePairs[i + 1]);
        }
        return m;
    }

    static CompiledModel compile(Graph g) {
        return ModelCompiler.compile(g, OPTIONS);
    }
}
