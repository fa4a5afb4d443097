package dev.octet.pass;

import dev.octet.ir.Attribute;
import dev.octet.ir.Attributes;
import dev.octet.ir.DataType;
import dev.octet.ir.Graph;
import dev.octet.ir.Layout;
import dev.octet.ir.Node;
import dev.octet.ir.TensorType;
import dev.octet.ir.op.ShapeInference;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Moves chains of convolutions to the channel-blocked layout NCHW8c: every {@code octet.FusedConv} on an NCHW
 * float tensor, and the per-channel nodes between such convolutions (activations, pooling, elementwise
 * arithmetic; see {@link PerChannel}), compute blocked values, recorded as {@link Layout#NCHW8C} in the graph's
 * value types. An {@code octet.ToBlocked} node converts a value where it enters a chain and an
 * {@code octet.FromBlocked} node where it leaves one (read outside the chain or a graph output), so each chain
 * pays for its layout change once at each border.
 */
final class RewriteLayout implements GraphPass {
    private static final Layout LAYOUT = Layout.NCHW8C;

    @Override
    public Graph apply(Graph g) {
        ShapeInference.Result types = ShapeInference.infer(g, Map.of());
        GraphIndex index = new GraphIndex(g);
        Map<Node, List<Integer>> candidates = new IdentityHashMap<>();
        for (Node n : g.nodes()) {
            List<Integer> slots = PerChannel.blockableInputs(n, types, index, DataType.FLOAT);
            if (slots != null) {
                candidates.put(n, slots);
            }
        }
        Set<Node> chain = chainNodes(g, candidates, index);
        if (chain.isEmpty()) {
            return g;
        }
        Set<String> names = Graphs.names(g);
        String suffix = "_" + LAYOUT.tag();
        Map<String, String> blocked = new HashMap<>();
        Map<String, TensorType> valueTypes = new LinkedHashMap<>(g.valueTypes());
        List<Node> nodes = new ArrayList<>();
        for (Node n : g.nodes()) {
            if (!chain.contains(n)) {
                nodes.add(n);
                continue;
            }
            List<String> inputs = new ArrayList<>(n.inputs());
            for (int slot : candidates.get(n)) {
                String in = n.input(slot);
                if (!blocked.containsKey(in)) {
                    String b = Graphs.fresh(names, in + suffix);
                    nodes.add(transform("ToBlocked", in, b, Attributes.of(Attribute.of("layout", LAYOUT.tag()))));
                    blocked.put(in, b);
                    valueTypes.put(b, types.type(in).withLayout(LAYOUT));
                }
                inputs.set(slot, blocked.get(in));
            }
            String out = n.outputs().get(0);
            boolean leaves = index.isGraphOutput(out)
                    || index.uses(out).stream().anyMatch(r -> !chain.contains(r) || !readsBlocked(r, out, candidates));
            String b = leaves ? Graphs.fresh(names, out + suffix) : out;
            blocked.put(out, b);
            valueTypes.put(b, types.type(out).withLayout(LAYOUT));
            List<String> outputs = new ArrayList<>(n.outputs());
            outputs.set(0, b);
            nodes.add(new Node(n.name(), n.opType(), n.domain(), inputs, outputs, n.attributes()));
            if (leaves) {
                nodes.add(transform("FromBlocked", b, out, Attributes.empty()));
            }
        }
        return Graphs.rebuild(g, nodes, g.constants(), valueTypes);
    }

    private static Node transform(String opType, String in, String out, Attributes attrs) {
        return new Node(out, opType, Graphs.OCTET_DOMAIN, List.of(in), List.of(out), attrs);
    }

    /** Whether {@code reader} reads {@code value} only in slots where it takes a blocked value. */
    private static boolean readsBlocked(Node reader, String value, Map<Node, List<Integer>> candidates) {
        for (int i = 0; i < reader.inputs().size(); i++) {
            if (reader.input(i).equals(value) && !candidates.get(reader).contains(i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The convolutions among the candidates, and the other candidates on a path of candidates from one convolution
     * to another.
     */
    private static Set<Node> chainNodes(Graph g, Map<Node, List<Integer>> candidates, GraphIndex index) {
        Map<Node, List<Node>> next = new IdentityHashMap<>();
        Map<Node, List<Node>> previous = new IdentityHashMap<>();
        for (Node n : candidates.keySet()) {
            for (int slot : candidates.get(n)) {
                Node p = index.producer(n.input(slot));
                if (p != null && candidates.containsKey(p) && p.outputs().get(0).equals(n.input(slot))) {
                    next.computeIfAbsent(p, k -> new ArrayList<>()).add(n);
                    previous.computeIfAbsent(n, k -> new ArrayList<>()).add(p);
                }
            }
        }
        List<Node> convs = g.nodes().stream().filter(candidates::containsKey).filter(PerChannel::isFusedConv).toList();
        Set<Node> afterConv = reachable(convs, next);
        Set<Node> beforeConv = reachable(convs, previous);
        Set<Node> chain = Collections.newSetFromMap(new IdentityHashMap<>());
        chain.addAll(convs);
        for (Node n : afterConv) {
            if (beforeConv.contains(n)) {
                chain.add(n);
            }
        }
        return chain;
    }

    private static Set<Node> reachable(List<Node> from, Map<Node, List<Node>> edges) {
        Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Node> todo = new ArrayDeque<>(from);
        while (!todo.isEmpty()) {
            for (Node m : edges.getOrDefault(todo.pop(), List.of())) {
                if (seen.add(m)) {
                    todo.push(m);
                }
            }
        }
        return seen;
    }
}
