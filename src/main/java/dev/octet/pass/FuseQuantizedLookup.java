package dev.octet.pass;

import dev.octet.ir.Attributes;
import dev.octet.ir.DataType;
import dev.octet.ir.Graph;
import dev.octet.ir.Node;
import dev.octet.ir.OctetException;
import dev.octet.ir.Tensor;
import dev.octet.ir.op.EvalContext;
import dev.octet.ir.op.Operator;
import dev.octet.ir.op.OperatorRegistry;
import dev.octet.ir.op.ShapeInference;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rewrites each float island of a QDQ graph that has one 8-bit input and one 8-bit output — per-tensor
 * DequantizeLinear(x_q) → elementwise float operators whose other operands are single constants →
 * QuantizeLinear, e.g. the exported HardSwish x·Clip(x+3, 0, 6)/6 between two int8 convolutions of PP-LCNet and
 * MobileNetV3 — into one {@code octet.QLinearLookup} of a 256-entry table. The table is what the reference
 * interpreter computes for the island on each of the 256 possible inputs, and elementwise operators compute each
 * element alone, so the lookup is bit-identical to the island it replaces.
 */
public final class FuseQuantizedLookup implements GraphPass {
    /** Operators that compute each output element from the same element of their inputs (numpy broadcasting). */
    private static final Set<String> ELEMENTWISE = Set.of("Add", "Sub", "Mul", "Div", "Clip", "Relu", "LeakyRelu",
            "HardSigmoid", "HardSwish", "Sigmoid", "Tanh", "Neg", "Abs", "Exp", "Sqrt", "Pow", "Max", "Min", "Elu",
            "Selu", "Softplus", "Floor", "Ceil", "Round");
    /** An island larger than this is left alone (none in real models comes close). */
    private static final int MAX_NODES = 16;

    @Override
    public Graph apply(Graph g) {
        GraphIndex index = new GraphIndex(g);
        Map<Node, Node> replaced = new IdentityHashMap<>();
        Map<String, Tensor> constants = new LinkedHashMap<>(g.constants());
        Set<String> taken = Graphs.names(g);
        for (Node q : g.nodes()) {
            QdqParams out = QdqParams.of(index, q, "QuantizeLinear");
            if (out == null || replaced.containsKey(q)) {
                continue;
            }
            Island island = island(index, q);
            if (island == null || island.nodes().stream().anyMatch(replaced::containsKey)) {
                continue;
            }
            Tensor table = table(g, island, q);
            if (table == null) {
                continue;
            }
            String tableName = Graphs.fresh(taken, q.outputs().getFirst() + "_table");
            constants.put(tableName, table);
            Node lookup = new Node(q.name() + "_lookup", "QLinearLookup", Graphs.OCTET_DOMAIN,
                    List.of(island.source().input(0), tableName), q.outputs(), Attributes.empty());
            replaced.put(q, lookup);
            island.nodes().forEach(n -> replaced.put(n, null));
        }
        return replaced.isEmpty() ? g : Graphs.rebuild(g, Graphs.replace(g.nodes(), replaced), constants);
    }

    /**
     * The float nodes between a DequantizeLinear and {@code q}.
     *
     * @param source the per-tensor DequantizeLinear of an 8-bit value that feeds the island
     * @param nodes the island's nodes (possibly none: a DequantizeLinear straight into q, a requantization)
     */
    private record Island(Node source, Set<Node> nodes) {
    }

    /** The island that ends in {@code q}, or null where the float nodes before it are not one. */
    private static Island island(GraphIndex index, Node q) {
        Set<Node> nodes = Collections.newSetFromMap(new IdentityHashMap<>());
        Node source = null;
        Deque<String> todo = new ArrayDeque<>(List.of(q.input(0)));
        Set<String> seen = new HashSet<>();
        while (!todo.isEmpty()) {
            String v = todo.pop();
            if (!seen.add(v)) {
                continue;
            }
            Node p = index.producer(v);
            if (p == null) {
                return null; // a graph input: not an island
            }
            if (QdqParams.dequantizing(index, v) != null) {
                if (source != null && source != p) {
                    return null; // two 8-bit inputs
                }
                source = p;
                continue;
            }
            if (!p.domain().isEmpty() || !ELEMENTWISE.contains(p.opType()) || p.outputs().size() != 1
                    || nodes.size() >= MAX_NODES) {
                return null;
            }
            nodes.add(p);
            for (String in : p.inputs()) {
                if (in.isEmpty()) {
                    continue;
                }
                Tensor c = index.constant(in);
                if (c != null) {
                    if (c.size() != 1 || c.rank() > 1) {
                        return null; // a per-channel operand: not one function of the element
                    }
                } else {
                    todo.push(in);
                }
            }
        }
        if (source == null) {
            return null;
        }
        if (index.constant(source.input(0)) != null) {
            return null; // a constant's dequantization: constant folding's business
        }
        // every value the island computes is read only inside it (the last one only by q)
        for (Node n : nodes) {
            String v = n.outputs().getFirst();
            if (index.isGraphOutput(v)) {
                return null;
            }
            for (Node reader : index.uses(v)) {
                if (reader != q && !nodes.contains(reader)) {
                    return null;
                }
            }
        }
        return new Island(source, nodes);
    }

    /**
     * The island's 256 results, by the reference operators node by node on a tensor of the 256 input values, or
     * null where it cannot be evaluated alone.
     */
    private static Tensor table(Graph g, Island island, Node q) {
        String x = island.source().input(0);
        Tensor zeroPoint = g.constants().get(island.source().input(2)); // the 8-bit input's type
        if (zeroPoint == null) {
            return null;
        }
        DataType t = zeroPoint.dtype();
        long[] inputs = new long[256];
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] = t.minValue() + i;
        }
        List<Node> nodes = g.nodes().stream().filter(n -> n == island.source() || n == q
                || island.nodes().contains(n)).toList();
        Map<String, Tensor> values = new LinkedHashMap<>(); // computed here; constants are read from the graph
        values.put(x, Tensor.ofLongs(t, new int[] {256}, inputs));
        try {
            for (Node n : nodes) {
                Operator op = OperatorRegistry.forNode(n);
                List<Tensor> in = new ArrayList<>();
                for (String name : n.inputs()) {
                    in.add(name.isEmpty() ? null : values.getOrDefault(name, g.constants().get(name)));
                }
                List<Tensor> out = ShapeInference.evaluate(op, new EvalContext(n, g.opset(n.domain()), in));
                for (int i = 0; i < out.size(); i++) {
                    values.put(n.outputs().get(i), out.get(i));
                }
            }
        } catch (OctetException | ArithmeticException | IllegalArgumentException e) {
            return null; // an island the 256 values cannot go through alone stays float
        }
        Tensor y = values.get(q.outputs().getFirst());
        return y == null || y.size() != 256 || !Arrays.equals(y.shape(), new int[] {256}) ? null
                : Tensor.ofLongs(y.dtype(), new int[] {256}, y.longs());
    }
}
