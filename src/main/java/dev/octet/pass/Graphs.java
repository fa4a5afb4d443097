package dev.octet.pass;

import dev.octet.ir.Graph;
import dev.octet.ir.Node;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.Value;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Building the graph a pass returns, the same way for every pass. */
final class Graphs {
    /** The domain of Octet's own operators (FusedConv, ToBlocked...). */
    static final String OCTET_DOMAIN = "octet";

    private Graphs() {
    }

    /**
     * The graph with new nodes and constants. Nodes and constants nobody reads any more are dropped (a folded
     * weight's original, the Shape node of a folded shape computation), as are recorded types of values that no
     * longer exist; the "octet" domain is declared where an Octet operator appears.
     */
    static Graph rebuild(Graph g, List<Node> nodes, Map<String, Tensor> constants) {
        return rebuild(g, nodes, constants, g.valueTypes());
    }

    static Graph rebuild(Graph g, List<Node> nodes, Map<String, Tensor> constants,
            Map<String, TensorType> valueTypes) {
        Set<String> read = new HashSet<>();
        for (Value v : g.outputs()) {
            read.add(v.name());
        }
        List<Node> live = new ArrayList<>();
        for (Node n : new Graph(g.name(), g.inputs(), g.outputs(), nodes, constants, Map.of(), g.opsets()).nodes()
                .reversed()) {
            if (n.outputs().stream().anyMatch(read::contains)) {
                live.add(n);
                read.addAll(n.inputs());
            }
        }
        Set<String> exists = new HashSet<>();
        boolean octet = false;
        for (Node n : live) {
            exists.addAll(n.outputs());
            octet |= n.domain().equals(OCTET_DOMAIN);
        }
        for (Value v : g.inputs()) {
            exists.add(v.name());
        }
        Map<String, Tensor> kept = new LinkedHashMap<>();
        constants.forEach((name, t) -> {
            if (read.contains(name)) {
                kept.put(name, t);
                exists.add(name);
            }
        });
        Map<String, TensorType> types = new LinkedHashMap<>();
        valueTypes.forEach((name, t) -> {
            if (exists.contains(name)) {
                types.put(name, t);
            }
        });
        Map<String, Integer> opsets = new TreeMap<>(g.opsets());
        if (octet) {
            opsets.putIfAbsent(OCTET_DOMAIN, 1);
        }
        return new Graph(g.name(), g.inputs(), g.outputs(), live.reversed(), kept, types, opsets);
    }

    /** Every value name the graph uses, so that new names can be chosen not to collide. */
    static Set<String> names(Graph g) {
        Set<String> names = new HashSet<>(g.constants().keySet());
        g.inputs().forEach(v -> names.add(v.name()));
        g.outputs().forEach(v -> names.add(v.name()));
        for (Node n : g.nodes()) {
            names.addAll(n.inputs());
            names.addAll(n.outputs());
        }
        return names;
    }

    /** {@code base}, or {@code base_2}, {@code base_3}... whichever is not taken yet; the result is then taken. */
    static String fresh(Set<String> taken, String base) {
        String name = base;
        for (int i = 2; !taken.add(name); i++) {
            name = base + "_" + i;
        }
        return name;
    }

    /** The node reading renamed values: each input found in {@code renames} is replaced by its new name. */
    static Node renameInputs(Node n, Map<String, String> renames) {
        if (n.inputs().stream().noneMatch(renames::containsKey)) {
            return n;
        }
        List<String> inputs = n.inputs().stream().map(i -> renames.getOrDefault(i, i)).toList();
        return new Node(n.name(), n.opType(), n.domain(), inputs, n.outputs(), n.attributes());
    }

    /** The nodes with each key of {@code replaced} swapped for its value, or left out where the value is null. */
    static List<Node> replace(List<Node> nodes, Map<Node, Node> replaced) {
        List<Node> out = new ArrayList<>();
        for (Node n : nodes) {
            Node r = replaced.containsKey(n) ? replaced.get(n) : n;
            if (r != null) {
                out.add(r);
            }
        }
        return out;
    }

    /** The node computing other outputs. */
    static Node withOutputs(Node n, List<String> outputs) {
        return new Node(n.name(), n.opType(), n.domain(), n.inputs(), outputs, n.attributes());
    }
}
