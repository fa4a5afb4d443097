package dev.octet.pass;

import dev.octet.ir.Attribute;
import dev.octet.ir.Attributes;
import dev.octet.ir.DataType;
import dev.octet.ir.Graph;
import dev.octet.ir.Node;
import dev.octet.ir.Tensor;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rewrites each quantized convolution of a QDQ graph (QDQ_FORM.md) into one integer node:
 * DequantizeLinear(x_q) and DequantizeLinear(constant int8 weights, per tensor or per output channel on axis 0),
 * an optional DequantizeLinear(constant int32 bias) whose scale is s_x·w_scale[o] bit for bit, → Conv → optional
 * Relu or Clip → QuantizeLinear becomes ONNX QLinearConv, or {@code octet.ClampedQLinearConv} where the Relu/Clip
 * narrows the output range. Its integer result is the one ONNX Runtime computes for the group. A group of any
 * other form (a bias at another scale, per-axis activations, parameters that are not constants) stays float.
 * Must run before constant folding, which would turn the weights' DequantizeLinear into float constants.
 */
public final class FuseQuantizedConv implements GraphPass {
    @Override
    public Graph apply(Graph g) {
        GraphIndex index = new GraphIndex(g);
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
            if (QuantizedClamp.isActivation(act)) {
                range = index.onlyReadBy(y, q) ? QuantizedClamp.of(index, act, out, g.opset("")) : null;
                if (range == null) {
                    continue;
                }
                absorbed.add(act);
                last = act;
                y = act.input(0);
            }
            Node conv = index.producer(y);
            if (conv == null || !conv.domain().isEmpty() || !conv.opType().equals("Conv")
                    || !index.onlyReadBy(y, last) || replaced.containsKey(conv)) {
                continue;
            }
            Node fused = fuse(index, conv, out, range, q.outputs().get(0));
            if (fused != null) {
                replaced.put(conv, fused);
                absorbed.forEach(n -> replaced.put(n, null));
            }
        }
        return replaced.isEmpty() ? g : Graphs.rebuild(g, Graphs.replace(g.nodes(), replaced), g.constants());
    }

    private static Node fuse(GraphIndex index, Node conv, QdqParams out, long[] range, String output) {
        QdqParams x = QdqParams.dequantizing(index, conv.input(0));
        Node wdq = index.producer(conv.input(1));
        if (x == null || wdq == null || !wdq.domain().isEmpty() || !wdq.opType().equals("DequantizeLinear")
                || !wdq.hasInput(2)) {
            return null;
        }
        Tensor w = index.constant(wdq.input(0));
        Tensor ws = index.constant(wdq.input(1));
        Tensor wz = index.constant(wdq.input(2));
        if (w == null || ws == null || wz == null || w.rank() != 4 || ws.dtype() != DataType.FLOAT
                || (w.dtype() != DataType.INT8 && w.dtype() != DataType.UINT8) || wz.dtype() != w.dtype()
                || wz.size() != ws.size() || ws.rank() > 1 || !(ws.size() == 1 || perAxisZero(wdq, ws, w.dim(0), 4))) {
            return null;
        }
        List<String> inputs = new ArrayList<>(List.of(index.producer(conv.input(0)).input(0), x.scale(),
                x.zeroPoint(), wdq.input(0), wdq.input(1), wdq.input(2), out.scale(), out.zeroPoint()));
        if (conv.hasInput(2)) {
            String bias = quantizedBias(index, conv.input(2), x.scaleValue(), ws);
            if (bias == null) {
                return null;
            }
            inputs.add(bias);
        }
        Attributes attrs = conv.attributes();
        if (QuantizedClamp.narrows(range, out)) {
            return new Node(conv.name(), "ClampedQLinearConv", Graphs.OCTET_DOMAIN, inputs, List.of(output),
                    attrs.with(Attribute.of("clamp", range[0], range[1])));
        }
        return new Node(conv.name(), "QLinearConv", "", inputs, List.of(output), attrs);
    }

    /** Whether a per-axis DequantizeLinear's scale runs along axis 0 of a rank-{@code rank} tensor, one per row. */
    private static boolean perAxisZero(Node dq, Tensor scale, int rows, int rank) {
        long axis = dq.attributes().getInt("axis", 1);
        return scale.size() == rows && (axis == 0 || axis == -rank);
    }

    /**
     * The int32 bias value read through a DequantizeLinear whose scale is s_x·w_scale[o] (fp32) bit for bit and
     * whose zero point is 0, or null.
     */
    private static String quantizedBias(GraphIndex index, String value, float xScale, Tensor ws) {
        Node dq = index.producer(value);
        if (dq == null || !dq.domain().isEmpty() || !dq.opType().equals("DequantizeLinear")) {
            return null;
        }
        Tensor b = index.constant(dq.input(0));
        Tensor bs = index.constant(dq.input(1));
        Tensor bz = dq.hasInput(2) ? index.constant(dq.input(2)) : null;
        if (b == null || bs == null || b.dtype() != DataType.INT32 || b.rank() != 1 || bs.dtype() != DataType.FLOAT
                || bs.rank() > 1 || (dq.hasInput(2) && (bz == null || bz.size() != bs.size()))
                || !(bs.size() == 1 || perAxisZero(dq, bs, b.dim(0), 1))) {
            return null;
        }
        int channels = b.dim(0);
        if (ws.size() != 1 && ws.size() != channels) {
            return null;
        }
        for (int o = 0; o < channels; o++) {
            float expected = xScale * ws.floats()[ws.size() == 1 ? 0 : o];
            float actual = bs.floats()[bs.size() == 1 ? 0 : o];
            if (Float.floatToRawIntBits(expected) != Float.floatToRawIntBits(actual)
                    || (bz != null && bz.getLong(bz.size() == 1 ? 0 : o) != 0)) {
                return null;
            }
        }
        return dq.input(0);
    }
}
