package dev.octet.quant;

import dev.octet.ir.Attribute;
import dev.octet.ir.Attributes;
import dev.octet.ir.Graph;
import dev.octet.ir.Node;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.op.ShapeInference;
import dev.octet.ir.Shapes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Raises a graph of opset 11 or 12 to opset 13, the first where DequantizeLinear has a per-axis scale: the
 * operators whose form changed at 13 are rewritten to mean the same (Squeeze/Unsqueeze axes, ReduceSum axes and
 * Split sizes move from attributes to constant inputs); Softmax, LogSoftmax and Hardmax, whose meaning changed, are
 * kept only where their axis is the last one (where both meanings agree). Anything else below opset 11 or that
 * cannot be kept is a {@link QuantizationException}.
 */
final class OpsetUpgrade {
    static final int QDQ_OPSET = 13;

    private OpsetUpgrade() {
    }

    static Graph toQdqOpset(Graph g) {
        int opset = g.opset("");
        if (opset >= QDQ_OPSET) {
            return g;
        }
        if (opset < 11) {
            throw new QuantizationException("the model has opset " + opset + "; the QDQ form needs opset 13 and Octet "
                    + "upgrades models of opset 11 or 12 only");
        }
        Map<String, TensorType> types = ShapeInference.infer(g, Map.of()).types();
        Set<String> taken = new HashSet<>(g.constants().keySet());
        g.nodes().forEach(n -> taken.addAll(n.outputs()));
        Map<String, Tensor> constants = new LinkedHashMap<>(g.constants());
        List<Node> nodes = new ArrayList<>();
        for (Node n : g.nodes()) {
            if (!n.domain().isEmpty()) {
                nodes.add(n);
                continue;
            }
            switch (n.opType()) {
                case "Squeeze", "Unsqueeze", "ReduceSum" -> nodes.add(attributeToInput(n, "axes", 1, taken, constants));
                case "Split" -> nodes.add(attributeToInput(n, "split", 1, taken, constants));
                case "Softmax", "LogSoftmax", "Hardmax" -> {
                    TensorType t = types.get(n.input(0));
                    long axis = n.attributes().getInt("axis", 1);
                    if (t == null || Shapes.axis(axis, t.rank(), "axis") != t.rank() - 1) {
                        throw new QuantizationException(n.describe() + ": " + n.opType() + " over axis " + axis
                                + " of " + t + " means something else at opset 13; the QDQ form cannot express it");
                    }
                    nodes.add(n);
                }
                default -> nodes.add(n);
            }
        }
        Map<String, Integer> opsets = new LinkedHashMap<>(g.opsets());
        opsets.put("", QDQ_OPSET);
        return new Graph(g.name(), g.inputs(), g.outputs(), nodes, constants, g.valueTypes(), opsets);
    }

    /** Moves an INTS attribute to a constant INT64 input at {@code position} (absent attribute: no input). */
    private static Node attributeToInput(Node n, String attribute, int position, Set<String> taken,
            Map<String, Tensor> constants) {
        long[] values = n.attributes().getInts(attribute);
        if (values == null) {
            return n;
        }
        String name = n.outputs().get(0) + "_" + attribute;
        for (int i = 1; !taken.add(name); i++) {
            name = n.outputs().get(0) + "_" + attribute + "_" + i;
        }
        constants.put(name, Tensor.int64Vector(values));
        List<String> inputs = new ArrayList<>(n.inputs());
        while (inputs.size() < position) {
            inputs.add("");
        }
        inputs.add(position, name);
        List<Attribute> kept = n.attributes().all().stream().filter(a -> !a.name().equals(attribute)).toList();
        return new Node(n.name(), n.opType(), n.domain(), inputs, n.outputs(), Attributes.of(kept));
    }
}
