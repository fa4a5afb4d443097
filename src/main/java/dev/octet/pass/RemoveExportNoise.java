package dev.octet.pass;

import dev.octet.ir.DataType;
import dev.octet.ir.Dim;
import dev.octet.ir.Graph;
import dev.octet.ir.Node;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.op.ShapeInference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Removes what exporters leave in a graph that computes nothing: nodes whose outputs shape inference already
 * knows (the Shape→Gather→Concat chains that rebuild a static shape; give the graph concrete input shapes first,
 * see {@link BindInputShapes}) become constants, and Identity, inference-mode Dropout, a Cast to the type the value
 * already has, and a Reshape, Flatten, Squeeze or Unsqueeze to the shape it already has are bypassed.
 */
public final class RemoveExportNoise implements GraphPass {
    private static final Set<String> RESHAPES = Set.of("Reshape", "Flatten", "Squeeze", "Unsqueeze");

    @Override
    public Graph apply(Graph g) {
        // Identity and Dropout go first, without types: Dropout has no reference operator to infer with.
        GraphIndex plain = new GraphIndex(g);
        Graph untyped = bypass(g, Map.of(), n -> untypedSource(n, plain));
        ShapeInference.Result inferred = ShapeInference.infer(untyped, Map.of());
        return bypass(untyped, inferred.constants(), n -> typedSource(n, inferred));
    }

    /**
     * The graph with each node whose outputs are all {@code known} replaced by constants, and each node for which
     * {@code source} names an input equal to its output bypassed.
     */
    private static Graph bypass(Graph g, Map<String, Tensor> known, Function<Node, String> source) {
        GraphIndex index = new GraphIndex(g);
        Set<String> graphInputs = new HashSet<>();
        g.inputs().forEach(v -> graphInputs.add(v.name()));
        Map<String, Tensor> constants = new LinkedHashMap<>(g.constants());
        Map<String, String> bypassed = new HashMap<>();
        Map<String, String> toOutputName = new HashMap<>();
        List<Node> kept = new ArrayList<>();
        for (Node original : g.nodes()) {
            Node n = Graphs.renameInputs(original, bypassed);
            if (n.outputs().stream().allMatch(o -> o.isEmpty() || known.containsKey(o))) {
                n.outputs().stream().filter(o -> !o.isEmpty()).forEach(o -> constants.put(o, known.get(o)));
                continue;
            }
            String same = source.apply(n);
            String out = n.outputs().get(0);
            if (same != null && !index.isGraphOutput(out)) {
                bypassed.put(out, same);
                continue;
            }
            // A graph output keeps its name: the value it equals is renamed to it, if that value is a node's.
            if (same != null && index.producer(same) != null && !index.isGraphOutput(same)
                    && !toOutputName.containsKey(same) && !graphInputs.contains(same) && !constants.containsKey(same)) {
                toOutputName.put(same, out);
                continue;
            }
            kept.add(n);
        }
        if (kept.size() == g.nodes().size()) {
            return g;
        }
        List<Node> nodes = new ArrayList<>();
        for (Node n : kept) {
            Node r = Graphs.renameInputs(n, toOutputName);
            nodes.add(Graphs.withOutputs(r, r.outputs().stream().map(o -> toOutputName.getOrDefault(o, o)).toList()));
        }
        return Graphs.rebuild(g, nodes, constants);
    }

    /** For Identity and inference-mode Dropout, the input their output equals; else null. */
    private static String untypedSource(Node n, GraphIndex index) {
        if (!n.domain().isEmpty() || !n.hasInput(0)) {
            return null;
        }
        return switch (n.opType()) {
            case "Identity" -> n.input(0);
            case "Dropout" -> inferenceDropout(n, index) ? n.input(0) : null;
            default -> null;
        };
    }

    /** For a Cast or reshape that changes nothing, its input; else null. */
    private static String typedSource(Node n, ShapeInference.Result inferred) {
        if (!n.domain().isEmpty() || !n.hasInput(0)) {
            return null;
        }
        String x = n.input(0);
        String y = n.outputs().get(0);
        return switch (n.opType()) {
            case "Cast" -> DataType.fromOnnx((int) n.attributes().getInt("to", -1)) == inferred.type(x).dtype()
                    ? x : null;
            default -> RESHAPES.contains(n.opType()) && sameStaticShape(inferred.type(x), inferred.type(y))
                    ? x : null;
        };
    }

    /** Dropout is the identity unless its mask is read or training mode is asked for (an input from opset 12). */
    private static boolean inferenceDropout(Node n, GraphIndex index) {
        String mask = n.outputs().size() > 1 ? n.outputs().get(1) : "";
        if (!mask.isEmpty() && (!index.uses(mask).isEmpty() || index.isGraphOutput(mask))) {
            return false;
        }
        if (!n.hasInput(2)) {
            return true;
        }
        Tensor training = index.constant(n.input(2));
        return training != null && training.size() == 1 && training.getLong(0) == 0;
    }

    private static boolean sameStaticShape(TensorType a, TensorType b) {
        return a != null && b != null && a.isStatic() && b.isStatic() && a.dims().equals(b.dims())
                && a.dims().stream().allMatch(Dim::isKnown);
    }
}
