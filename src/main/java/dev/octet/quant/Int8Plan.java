package dev.octet.quant;

import dev.octet.ir.DataType;
import dev.octet.ir.Graph;
import dev.octet.ir.Node;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.Value;
import dev.octet.ir.op.ShapeInference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which nodes of a simplified fp32 graph run in int8 and which activation tensors are quantized: the structure of
 * the QDQ graph, decided from the graph and the options alone (not from the ranges), so that calibration knows its
 * targets before any range exists.
 *
 * <p>Conv (constant weights) and Add of two int8 activations are int8, each with a Relu or Clip that is its output's
 * only consumer folded in; MaxPool, Concat, Resize (nearest), Reshape and Flatten are int8 where every activation input
 * already is, with one scale and zero point shared by inputs and output; everything else stays float.
 */
final class Int8Plan {
    enum Kind { CONV, ADD, SHARED, FLOAT }

    /**
     * The decision for one node.
     *
     * @param activation the Relu or Clip folded into this node's output, or null
     * @param output the quantized tensor this node produces (the activation's output where one is folded), or null
     */
    record Decision(Node node, int index, Kind kind, String reason, Node activation, String output) {
    }

    private final Graph graph;
    private final List<Decision> decisions = new ArrayList<>();
    private final Set<String> quantized = new LinkedHashSet<>();
    private final Map<String, String> parent = new HashMap<>();
    private final Map<String, List<Node>> uses = new HashMap<>();
    private final Set<String> graphOutputs = new HashSet<>();
    private final Map<String, TensorType> types;

    Int8Plan(Graph graph, QuantizeOptions options) {
        this.graph = graph;
        this.types = ShapeInference.infer(graph, Map.of()).types();
        for (Node n : graph.nodes()) {
            for (String in : n.inputs()) {
                if (!in.isEmpty()) {
                    uses.computeIfAbsent(in, k -> new ArrayList<>()).add(n);
                }
            }
        }
        graph.outputs().forEach(v -> graphOutputs.add(v.name()));
        Set<Node> folded = new HashSet<>();
        List<Node> nodes = graph.nodes();
        for (int i = 0; i < nodes.size(); i++) {
            Node n = nodes.get(i);
            if (!folded.contains(n)) {
                Decision d = decide(n, i, options);
                decisions.add(d);
                if (d.activation() != null) {
                    folded.add(d.activation());
                }
            }
        }
    }

    List<Decision> decisions() {
        return decisions;
    }

    /** The activation tensors that are quantized, in graph order: each needs a calibration range. */
    Set<String> quantized() {
        return quantized;
    }

    /** The tensor whose scale and zero point {@code tensor} shares (itself where it shares with none). */
    String root(String tensor) {
        String p = parent.getOrDefault(tensor, tensor);
        return p.equals(tensor) ? p : root(p);
    }

    private Decision decide(Node n, int index, QuantizeOptions options) {
        if (options.skipNodes().contains(n.name()) || options.skipNodes().contains(Integer.toString(index))) {
            return floating(n, index, "skipped by option (node)");
        }
        if (options.skipOpTypes().contains(n.opType())) {
            return floating(n, index, "skipped by option (op type " + n.opType() + ")");
        }
        if (!n.domain().isEmpty()) {
            return floating(n, index, "operator of domain " + n.domain());
        }
        return switch (n.opType()) {
            case "Conv" -> conv(n, index);
            case "Add" -> add(n, index);
            case "MaxPool", "Concat", "Resize", "Reshape", "Flatten" -> shared(n, index);
            case "GlobalAveragePool" -> floating(n, index, "its int8 average is not exact");
            case "MatMul", "Gemm" -> floating(n, index, "int8 MatMul/Gemm not yet quantized");
            default -> floating(n, index, "operator not quantizable");
        };
    }

    private Decision conv(Node n, int index) {
        Tensor w = constant(n.input(1));
        if (w == null || !w.dtype().isFloat() || w.rank() < 3) {
            return floating(n, index, "weights are not a constant float tensor");
        }
        if (n.hasInput(2) && constant(n.input(2)) == null) {
            return floating(n, index, "bias is not a constant");
        }
        if (isConstant(n.input(0)) || !isFloat(n.input(0))) {
            return floating(n, index, "input is a constant or not float");
        }
        Node act = foldableActivation(n.outputs().get(0));
        String out = act == null ? n.outputs().get(0) : act.outputs().get(0);
        quantized.add(n.input(0));
        quantized.add(out);
        return new Decision(n, index, Kind.CONV, "int8", act, out);
    }

    private Decision add(Node n, int index) {
        if (isConstant(n.input(0)) || isConstant(n.input(1))) {
            return floating(n, index, "Add with a constant (only residual Adds of two tensors are int8)");
        }
        if (!isFloat(n.input(0)) || !isFloat(n.input(1))) {
            return floating(n, index, "Add of non-float tensors");
        }
        // Only where both inputs are already int8 (a CNN's residual add): an Add between float islands (a
        // transformer's residual stream) would gain no speed and lose accuracy to two more roundings.
        if (!quantized.contains(n.input(0)) || !quantized.contains(n.input(1))) {
            return floating(n, index, "an input is not int8");
        }
        Node act = foldableActivation(n.outputs().get(0));
        String out = act == null ? n.outputs().get(0) : act.outputs().get(0);
        quantized.add(out);
        return new Decision(n, index, Kind.ADD, "int8", act, out);
    }

    private Decision shared(Node n, int index) {
        List<String> activations = n.opType().equals("Concat") ? n.inputs() : List.of(n.input(0));
        if (n.opType().equals("Resize") && !n.attributes().getString("mode", "nearest").equals("nearest")) {
            return floating(n, index, "Resize mode " + n.attributes().getString("mode", "") + " (int8 only for nearest)");
        }
        if (n.outputs().size() > 1 && n.outputs().stream().skip(1).anyMatch(o -> !o.isEmpty())) {
            return floating(n, index, "second output (MaxPool indices)");
        }
        for (String a : activations) {
            if (a.isEmpty() || isConstant(a) || !quantized.contains(a)) {
                return floating(n, index, "an input is not int8");
            }
        }
        String out = n.outputs().get(0);
        quantized.add(out);
        for (String a : activations) {
            union(a, out);
        }
        return new Decision(n, index, Kind.SHARED, "scale and zero point shared with its inputs", null, out);
    }

    /** The Relu or Clip (constant bounds) that is the only reader of {@code value}, or null. */
    private Node foldableActivation(String value) {
        List<Node> readers = uses.getOrDefault(value, List.of());
        if (readers.size() != 1 || graphOutputs.contains(value)) {
            return null;
        }
        Node r = readers.get(0);
        if (!r.domain().isEmpty() || !r.input(0).equals(value)) {
            return null;
        }
        if (r.opType().equals("Relu")) {
            return r;
        }
        boolean constantBounds = (!r.hasInput(1) || isConstant(r.input(1))) && (!r.hasInput(2) || isConstant(r.input(2)));
        return r.opType().equals("Clip") && graph.opset("") >= 11 && constantBounds ? r : null;
    }

    private void union(String a, String b) {
        String ra = root(a);
        String rb = root(b);
        if (!ra.equals(rb)) {
            parent.put(rb, ra);
        }
    }

    private Decision floating(Node n, int index, String reason) {
        return new Decision(n, index, Kind.FLOAT, reason, null, null);
    }

    private Tensor constant(String name) {
        return name.isEmpty() ? null : graph.constants().get(name);
    }

    private boolean isFloat(String name) {
        TensorType t = types.get(name);
        return t != null && t.dtype() == DataType.FLOAT;
    }

    private boolean isConstant(String name) {
        return graph.constants().containsKey(name);
    }

    /** Whether {@code name} is a graph input (its quantization happens before any node). */
    boolean isGraphInput(String name) {
        for (Value v : graph.inputs()) {
            if (v.name().equals(name)) {
                return true;
            }
        }
        return false;
    }
}
