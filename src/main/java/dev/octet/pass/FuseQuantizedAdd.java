package dev.octet.pass;

import dev.octet.ir.Attribute;
import dev.octet.ir.Dim;
import dev.octet.ir.Graph;
import dev.octet.ir.Node;
import dev.octet.ir.OctetException;
import dev.octet.ir.TensorType;
import dev.octet.ir.op.ShapeInference;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rewrites each quantized residual add of a QDQ graph (QDQ_FORM.md), DequantizeLinear(a_q), DequantizeLinear(b_q)
 * → Add → optional Relu → QuantizeLinear, into one {@code octet.QLinearAdd} (QuantMath.addRequantize, the one int8
 * add formula), a fused ReLU becoming its clamp range. Only adds of two operands of one shape (no broadcasting)
 * with per-tensor constant parameters are rewritten; any other stays float.
 */
public final class FuseQuantizedAdd implements GraphPass {
    @Override
    public Graph apply(Graph g) {
        GraphIndex index = new GraphIndex(g);
        ShapeInference.Result types = null;
        Map<Node, Node> replaced = new IdentityHashMap<>();
        for (Node q : g.nodes()) {
            QdqParams out = QdqParams.of(index, q, "QuantizeLinear");
            if (out == null) {
                continue;
            }
            String y = q.input(0);
            Node last = q;
            Node act = index.producer(y);
            long[] range = {out.type().minValue(), out.type().maxValue()};
            List<Node> absorbed = new ArrayList<>(List.of(q));
            if (act != null && act.domain().isEmpty() && act.opType().equals("Relu")) {
                if (!index.onlyReadBy(y, q)) {
                    continue;
                }
                range = QuantizedClamp.of(index, act, out, g.opset(""));
                absorbed.add(act);
                last = act;
                y = act.input(0);
            }
            Node add = index.producer(y);
            if (add == null || !add.domain().isEmpty() || !add.opType().equals("Add") || add.inputs().size() != 2
                    || !index.onlyReadBy(y, last)) {
                continue;
            }
            QdqParams a = QdqParams.dequantizing(index, add.input(0));
            QdqParams b = QdqParams.dequantizing(index, add.input(1));
            if (a == null || b == null) {
                continue;
            }
            types = types != null ? types : inferred(g);
            if (types == null || !sameShape(types.type(add.input(0)), types.type(add.input(1)))) {
                continue;
            }
            List<String> inputs = List.of(index.producer(add.input(0)).input(0), a.scale(), a.zeroPoint(),
                    index.producer(add.input(1)).input(0), b.scale(), b.zeroPoint(), out.scale(), out.zeroPoint());
            Node fused = new Node(add.name(), "QLinearAdd", Graphs.OCTET_DOMAIN, inputs, q.outputs(),
                    QuantizedClamp.narrows(range, out) ? add.attributes().with(Attribute.of("clamp", range[0],
                            range[1])) : add.attributes());
            replaced.put(add, fused);
            absorbed.forEach(n -> replaced.put(n, null));
        }
        return replaced.isEmpty() ? g : Graphs.rebuild(g, Graphs.replace(g.nodes(), replaced), g.constants());
    }

    private static ShapeInference.Result inferred(Graph g) {
        try {
            return ShapeInference.infer(g, Map.of());
        } catch (OctetException e) {
            return null; // shapes known only per run: adds stay float
        }
    }

    /** Same rank and, dimension by dimension, the same known size or the same symbol. */
    private static boolean sameShape(TensorType a, TensorType b) {
        if (a == null || b == null || a.rank() != b.rank()) {
            return false;
        }
        for (int d = 0; d < a.rank(); d++) {
            Dim x = a.dims().get(d);
            Dim y = b.dims().get(d);
            if (!(x.isKnown() ? y.isKnown() && x.value() == y.value() : x.symbol() != null && x.equals(y))) {
                return false;
            }
        }
        return true;
    }
}
