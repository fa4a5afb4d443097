package dev.octet.runtime;

import dev.octet.ir.Graph;
import dev.octet.ir.Node;
import dev.octet.ir.Storage;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.Value;
import dev.octet.ir.op.EvalContext;
import dev.octet.ir.op.Operator;
import dev.octet.ir.op.OperatorRegistry;
import dev.octet.ir.op.ShapeInference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs a graph node by node with the operators' reference implementations. Slow and exact: the oracle that every
 * compiled model, kernel and tuning candidate is checked against. Thread-safe; each run has its own state.
 */
public final class ReferenceInterpreter {
    private final Graph graph;

    public ReferenceInterpreter(Graph graph) {
        this.graph = graph;
        for (Node n : graph.nodes()) {
            OperatorRegistry.forNode(n);
        }
    }

    /** Runs the graph; returns its outputs by name, in the graph's order. */
    public Map<String, Tensor> run(Map<String, Tensor> inputs) {
        return run(inputs, Set.of());
    }

    /**
     * Runs the graph and also returns the intermediate values named in {@code taps} (for calibration and for
     * finding the first layer where two backends disagree).
     */
    public Map<String, Tensor> run(Map<String, Tensor> inputs, Set<String> taps) {
        Map<String, TensorType> inputTypes = InputBinding.bind(graph, inputs);
        ShapeInference.Result inferred = ShapeInference.infer(graph, inputTypes);
        Map<String, Integer> lastUse = lastUses();
        Map<String, Tensor> values = new HashMap<>(inferred.constants());
        values.putAll(inputs);
        Map<String, Tensor> tapped = new LinkedHashMap<>();
        List<Node> nodes = graph.nodes();
        for (int step = 0; step < nodes.size(); step++) {
            Node node = nodes.get(step);
            if (allKnown(node, values)) {
                continue;
            }
            List<Tensor> in = new ArrayList<>();
            for (String name : node.inputs()) {
                in.add(name.isEmpty() ? null : values.get(name));
            }
            Operator op = OperatorRegistry.forNode(node);
            EvalContext ctx = new EvalContext(node, graph.opset(node.domain()), in);
            List<Tensor> out = Storage.guard(outputBytes(node, inferred), node.describe(),
                    () -> ShapeInference.evaluate(op, ctx));
            for (int i = 0; i < node.outputs().size(); i++) {
                String name = node.outputs().get(i);
                if (name.isEmpty()) {
                    continue;
                }
                checkAgainstInference(node, name, out.get(i), inferred.type(name));
                values.put(name, out.get(i));
                if (taps.contains(name)) {
                    tapped.put(name, out.get(i));
                }
            }
            for (String name : node.inputs()) {
                if (lastUse.getOrDefault(name, -1) == step && !graph.constants().containsKey(name)) {
                    values.remove(name);
                }
            }
        }
        Map<String, Tensor> result = new LinkedHashMap<>();
        for (Value v : graph.outputs()) {
            result.put(v.name(), values.get(v.name()));
        }
        for (String t : taps) {
            if (!tapped.containsKey(t) && values.containsKey(t)) {
                tapped.put(t, values.get(t));
            }
        }
        result.putAll(tapped);
        return result;
    }

    /** What a node's outputs will take on the heap, as far as inference knows their shapes. */
    private static long outputBytes(Node node, ShapeInference.Result inferred) {
        long bytes = 0;
        for (String name : node.outputs()) {
            TensorType t = name.isEmpty() ? null : inferred.type(name);
            long n = t == null ? -1 : t.elementCount();
            if (n > 0) {
                bytes = Math.min(Long.MAX_VALUE / 2, bytes + Storage.bytes(t.dtype(), n));
            }
        }
        return bytes;
    }

    private static boolean allKnown(Node node, Map<String, Tensor> values) {
        for (String o : node.outputs()) {
            if (!o.isEmpty() && !values.containsKey(o)) {
                return false;
            }
        }
        return true;
    }

    /** Step after which each value is no longer read, so intermediate tensors are freed early. */
    private Map<String, Integer> lastUses() {
        Map<String, Integer> last = new HashMap<>();
        List<Node> nodes = graph.nodes();
        for (int i = 0; i < nodes.size(); i++) {
            for (String in : nodes.get(i).inputs()) {
                last.put(in, i);
            }
        }
        for (Value v : graph.outputs()) {
            last.put(v.name(), Integer.MAX_VALUE);
        }
        return last;
    }

    /** A mismatch between an operator's inference and its evaluation is a bug in Octet, not in the model. */
    private static void checkAgainstInference(Node node, String name, Tensor value, TensorType inferred) {
        if (inferred == null) {
            return;
        }
        boolean dtypeOk = inferred.dtype() == value.dtype();
        boolean shapeOk = inferred.rank() == value.rank();
        for (int i = 0; shapeOk && i < value.rank(); i++) {
            shapeOk = !inferred.dims().get(i).isKnown() || inferred.dims().get(i).value() == value.dim(i);
        }
        if (!dtypeOk || !shapeOk) {
            throw new IllegalStateException(node.describe() + ": output '" + name + "' is "
                    + value.dtype().shortName() + Arrays.toString(value.shape()) + " but inference said " + inferred);
        }
    }
}
