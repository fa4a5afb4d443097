package dev.octet.ir;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A computation graph: inputs, outputs, constant tensors (weights), and nodes in a topological order. Immutable;
 * passes build a new graph. Construction checks what every later stage relies on: each value has exactly one
 * producer, every consumed value exists, and there is no cycle.
 */
public final class Graph {
    private final String name;
    private final List<Value> inputs;
    private final List<Value> outputs;
    private final List<Node> nodes;
    private final Map<String, Tensor> constants;
    private final Map<String, TensorType> valueTypes;
    private final Map<String, Integer> opsets;

    /**
     * @param valueTypes known types of intermediate values (ONNX value_info); may be partial
     * @param opsets opset version per operator domain ("" is the default ONNX domain)
     */
    public Graph(String name, List<Value> inputs, List<Value> outputs, List<Node> nodes,
            Map<String, Tensor> constants, Map<String, TensorType> valueTypes, Map<String, Integer> opsets) {
        this.name = name == null ? "" : name;
        this.inputs = List.copyOf(inputs);
        this.outputs = List.copyOf(outputs);
        this.constants = Collections.unmodifiableMap(new LinkedHashMap<>(constants));
        this.valueTypes = Collections.unmodifiableMap(new LinkedHashMap<>(valueTypes));
        this.opsets = Collections.unmodifiableMap(new TreeMap<>(opsets));
        this.nodes = List.copyOf(topologicalOrder(nodes));
        checkOutputsExist();
    }

    public String name() {
        return name;
    }

    public List<Value> inputs() {
        return inputs;
    }

    public List<Value> outputs() {
        return outputs;
    }

    /** Nodes in a topological order (stable: the model's own order where it already is one). */
    public List<Node> nodes() {
        return nodes;
    }

    /** Weights and other constant tensors by value name. */
    public Map<String, Tensor> constants() {
        return constants;
    }

    public Map<String, TensorType> valueTypes() {
        return valueTypes;
    }

    public Map<String, Integer> opsets() {
        return opsets;
    }

    /** The opset version for a domain ("" and "ai.onnx" are the same), or 0 if the model does not import it. */
    public int opset(String domain) {
        return opsets.getOrDefault(domain == null || domain.equals("ai.onnx") ? "" : domain, 0);
    }

    /** Total number of weight elements (the model's parameter count). */
    public long parameterCount() {
        long n = 0;
        for (Tensor t : constants.values()) {
            n += t.size();
        }
        return n;
    }

    private Set<String> sources() {
        Set<String> s = new HashSet<>(constants.keySet());
        for (Value v : inputs) {
            s.add(v.name());
        }
        return s;
    }

    /** Kahn's algorithm, taking nodes in their given order whenever several are ready. */
    private List<Node> topologicalOrder(List<Node> given) {
        Set<String> available = sources();
        Map<String, Node> producer = new HashMap<>();
        for (Node n : given) {
            for (String out : n.outputs()) {
                if (out.isEmpty()) {
                    continue;
                }
                if (available.contains(out) || producer.put(out, n) != null) {
                    throw new OctetException(n.describe() + ": value " + Names.quote(out)
                            + " is produced more than once");
                }
            }
        }
        Map<Node, Integer> missing = new IdentityHashMap<>();
        Map<String, List<Node>> consumers = new HashMap<>();
        for (Node n : given) {
            Set<String> waits = new HashSet<>();
            for (String in : n.inputs()) {
                if (in.isEmpty() || available.contains(in)) {
                    continue;
                }
                if (!producer.containsKey(in)) {
                    throw new OctetException(n.describe() + ": input " + Names.quote(in)
                            + " is not produced by any node, graph input or initializer");
                }
                if (waits.add(in)) {
                    consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(n);
                }
            }
            missing.put(n, waits.size());
        }
        Map<Node, Integer> position = new IdentityHashMap<>();
        for (int i = 0; i < given.size(); i++) {
            position.putIfAbsent(given.get(i), i);
        }
        TreeMap<Integer, Node> ready = new TreeMap<>();
        for (Node n : given) {
            if (missing.get(n) == 0) {
                ready.put(position.get(n), n);
            }
        }
        List<Node> order = new ArrayList<>(given.size());
        while (!ready.isEmpty()) {
            Node n = ready.pollFirstEntry().getValue();
            order.add(n);
            for (String out : n.outputs()) {
                for (Node c : consumers.getOrDefault(out, List.of())) {
                    if (missing.merge(c, -1, Integer::sum) == 0) {
                        ready.put(position.get(c), c);
                    }
                }
            }
        }
        if (order.size() != given.size()) {
            Deque<Node> stuck = new ArrayDeque<>();
            for (Node n : given) {
                if (missing.get(n) > 0) {
                    stuck.add(n);
                }
            }
            throw new OctetException("the graph has a cycle through " + stuck.getFirst().describe()
                    + (stuck.size() > 1 ? " and " + (stuck.size() - 1) + " other node(s)" : ""));
        }
        return order;
    }

    private void checkOutputsExist() {
        Set<String> known = sources();
        for (Node n : nodes) {
            known.addAll(n.outputs());
        }
        for (Value v : outputs) {
            if (!known.contains(v.name())) {
                throw new OctetException("graph output " + Names.quote(v.name()) + " is not produced by any node");
            }
        }
    }
}
