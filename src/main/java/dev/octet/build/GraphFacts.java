package dev.octet.build;

import dev.octet.ir.Graph;
import dev.octet.ir.Node;
import dev.octet.ir.OctetException;
import dev.octet.ir.TensorType;
import dev.octet.ir.Value;
import dev.octet.ir.op.ShapeInference;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What lowerings need to know about a graph beyond one node: each value's type as declared (symbolic dimensions
 * stay symbolic), which node produces it, and how many node inputs read it.
 */
final class GraphFacts {
    private final Graph graph;
    private final ShapeInference.Result types;
    private final Map<String, Integer> producer = new HashMap<>();
    private final Map<String, Integer> readers = new HashMap<>();
    private final Map<String, Integer> firstReader = new HashMap<>();
    private final Set<String> outputs = new HashSet<>();

    GraphFacts(Graph graph) {
        this.graph = graph;
        ShapeInference.Result inferred;
        try {
            inferred = ShapeInference.infer(graph, Map.of());
        } catch (OctetException e) {
            inferred = null; // types are only known per run; lowerings that need them leave nodes to the reference
        }
        this.types = inferred;
        for (int i = 0; i < graph.nodes().size(); i++) {
            Node n = graph.nodes().get(i);
            for (String in : n.inputs()) {
                if (!in.isEmpty()) {
                    readers.merge(in, 1, Integer::sum);
                    firstReader.putIfAbsent(in, i);
                }
            }
            for (String out : n.outputs()) {
                producer.put(out, i);
            }
        }
        for (Value v : graph.outputs()) {
            outputs.add(v.name());
        }
    }

    Graph graph() {
        return graph;
    }

    /** The declared type of a value, or null where inference could not run. */
    TensorType type(String value) {
        return types == null ? null : types.type(value);
    }

    /** The index of the node producing a value, or -1 for graph inputs and constants. */
    int producer(String value) {
        return producer.getOrDefault(value, -1);
    }

    /** How many node inputs read the value (a node reading it twice counts twice). */
    int readers(String value) {
        return readers.getOrDefault(value, 0);
    }

    /** The index of the first node reading the value, or -1 where none does. */
    int firstReader(String value) {
        return firstReader.getOrDefault(value, -1);
    }

    boolean isGraphOutput(String value) {
        return outputs.contains(value);
    }

    int indexOf(Node n) {
        return producer(n.outputs().get(0));
    }
}
