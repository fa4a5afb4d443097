package dev.octet.pass;

import dev.octet.ir.Graph;
import dev.octet.ir.Node;
import dev.octet.ir.Tensor;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Folds an inference-mode BatchNormalization that follows a Conv (whose result nothing else reads) into the Conv's
 * weights and bias: with s = scale/sqrt(var + epsilon) per channel, W' = W·s and B' = (B − mean)·s + bias, computed
 * in double and rounded once. A BatchNormalization after anything else stays.
 */
public final class FoldBatchNorm implements GraphPass {
    @Override
    public Graph apply(Graph g) {
        GraphIndex index = new GraphIndex(g);
        Map<String, Tensor> constants = new LinkedHashMap<>(g.constants());
        Set<String> names = Graphs.names(g);
        Map<Node, Node> replaced = new IdentityHashMap<>();
        for (Node bn : g.nodes()) {
            Node conv = index.producer(bn.input(0));
            ChannelAffine affine = bn.opType().equals("BatchNormalization") && bn.domain().isEmpty()
                    && ChannelAffine.isFoldableConv(conv, index) && bn == index.soleReader(bn.input(0))
                    ? affine(bn, index, index.constant(conv.input(1)).dim(0)) : null;
            if (affine != null) {
                replaced.put(conv, affine.foldInto(conv, bn.outputs().get(0), constants, names));
                replaced.put(bn, null);
            }
        }
        if (replaced.isEmpty()) {
            return g;
        }
        return Graphs.rebuild(g, Graphs.replace(g.nodes(), replaced), constants);
    }

    /** The normalization as a per-channel affine map, or null where it cannot be folded. */
    private static ChannelAffine affine(Node bn, GraphIndex index, int channels) {
        for (int i = 1; i < bn.outputs().size(); i++) {
            String stat = bn.outputs().get(i);
            if (!stat.isEmpty() && (!index.uses(stat).isEmpty() || index.isGraphOutput(stat))) {
                return null; // training-mode statistics are read
            }
        }
        if (bn.attributes().getInt("training_mode", 0) != 0 || bn.attributes().getInt("spatial", 1) != 1) {
            return null;
        }
        double[][] p = new double[4][];
        for (int i = 0; i < 4; i++) {
            Tensor t = index.constant(bn.input(i + 1));
            if (t == null || !t.dtype().isFloat() || t.rank() != 1 || t.size() != channels) {
                return null;
            }
            p[i] = t.toDoubles();
        }
        double epsilon = bn.attributes().getFloat("epsilon", 1e-5f);
        double[] s = new double[channels];
        double[] shift = new double[channels];
        for (int o = 0; o < channels; o++) {
            s[o] = p[0][o] / Math.sqrt(p[3][o] + epsilon);
            shift[o] = p[1][o] - p[2][o] * s[o];
        }
        ChannelAffine a = ChannelAffine.identity(channels);
        a.multiply(s);
        a.add(shift);
        return a.isFinite() ? a : null;
    }
}
