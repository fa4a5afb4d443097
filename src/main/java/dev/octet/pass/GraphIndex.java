package dev.octet.pass;

import dev.octet.ir.Graph;
import dev.octet.ir.Node;
import dev.octet.ir.Tensor;
import dev.octet.ir.Value;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Who produces and who reads each value of a graph: the questions every pattern-matching pass asks. */
final class GraphIndex {
    private final Graph graph;
    private final Map<String, Node> producers = new HashMap<>();
    private final Map<String, List<Node>> uses = new HashMap<>();
    private final Set<String> outputs = new HashSet<>();

    GraphIndex(Graph graph) {
        this.graph = graph;
        for (Node n : graph.nodes()) {
            for (String out : n.outputs()) {
                if (!out.isEmpty()) {
                    producers.put(out, n);
                }
            }
            for (String in : n.inputs()) {
                if (!in.isEmpty()) {
                    uses.computeIfAbsent(in, k -> new ArrayList<>()).add(n);
                }
            }
        }
        for (Value v : graph.outputs()) {
            outputs.add(v.name());
        }
    }

    Graph graph() {
        return graph;
    }

    /** The node that computes a value, or null for graph inputs and constants. */
    Node producer(String value) {
        return producers.get(value);
    }

    /** One entry per input slot that reads the value (a node reading it twice appears twice). */
    List<Node> uses(String value) {
        return uses.getOrDefault(value, List.of());
    }

    boolean isGraphOutput(String value) {
        return outputs.contains(value);
    }

    /** The constant value, or null where the value is not a constant of the graph. */
    Tensor constant(String value) {
        return graph.constants().get(value);
    }

    /**
     * Whether a value can disappear into a rewrite of its producer and {@code readers}: it is not a graph output
     * and those nodes are its only readers, each reading it exactly once.
     */
    boolean onlyReadBy(String value, Node... readers) {
        if (isGraphOutput(value)) {
            return false;
        }
        List<Node> u = uses(value);
        if (u.size() != readers.length) {
            return false;
        }
        for (Node r : readers) {
            if (u.stream().filter(n -> n == r).count() != 1) {
                return false;
            }
        }
        return true;
    }

    /** The single reader of a value that is not a graph output, or null. */
    Node soleReader(String value) {
        List<Node> u = uses(value);
        return u.size() == 1 && !isGraphOutput(value) ? u.get(0) : null;
    }

    /** Whether a constant holds one element equal to {@code v}. */
    boolean isScalarConstant(String value, double v) {
        Tensor t = constant(value);
        return t != null && t.size() == 1 && t.dtype().isFloat() && t.getDouble(0) == v;
    }
}
