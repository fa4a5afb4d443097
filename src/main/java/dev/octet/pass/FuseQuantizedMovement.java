package dev.octet.pass;

import dev.octet.ir.Graph;
import dev.octet.ir.Node;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs the operators that only move or select values on the integers of a QDQ graph (QDQ_FORM.md):
 * DequantizeLinear → MaxPool, Concat, Reshape, Flatten or Resize (nearest) → QuantizeLinear, where every quantized
 * input and the output share one scale (bit for bit), zero point and type, becomes the operator on the quantized
 * values. That is exact: each output is one of the input values, and Q(DQ(q)) = q for 8-bit q. Other inputs (a
 * shape, Resize's scales) are kept as they are.
 */
public final class FuseQuantizedMovement implements GraphPass {
    private static final Set<String> OPS = Set.of("MaxPool", "Concat", "Reshape", "Flatten", "Resize");

    @Override
    public Graph apply(Graph g) {
        GraphIndex index = new GraphIndex(g);
        Map<Node, Node> replaced = new IdentityHashMap<>();
        for (Node q : g.nodes()) {
            QdqParams out = QdqParams.of(index, q, "QuantizeLinear");
            Node op = out == null ? null : index.producer(q.input(0));
            if (op == null || !op.domain().isEmpty() || !OPS.contains(op.opType()) || !index.onlyReadBy(q.input(0), q)
                    || op.outputs().stream().skip(1).anyMatch(o -> !o.isEmpty())
                    || (op.opType().equals("Resize") && !op.attributes().getString("mode", "nearest").equals("nearest"))) {
                continue;
            }
            int quantized = op.opType().equals("Concat") ? op.inputs().size() : 1;
            List<String> inputs = new ArrayList<>(op.inputs());
            boolean exact = true;
            for (int i = 0; i < quantized && exact; i++) {
                QdqParams in = QdqParams.dequantizing(index, op.input(i));
                exact = in != null && in.sameAs(out);
                if (exact) {
                    inputs.set(i, index.producer(op.input(i)).input(0));
                }
            }
            if (exact) {
                replaced.put(op, new Node(op.name(), op.opType(), "", inputs, q.outputs(), op.attributes()));
                replaced.put(q, null);
            }
        }
        return replaced.isEmpty() ? g : Graphs.rebuild(g, Graphs.replace(g.nodes(), replaced), g.constants());
    }
}
