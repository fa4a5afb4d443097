package dev.octet.pass;

import dev.octet.ir.Graph;
import dev.octet.ir.Node;
import dev.octet.ir.Tensor;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Folds the Mul, Div, Add and Sub by per-channel constants that follow a Conv (the learnable scale and shift of
 * PP-LCNet's blocks, a BatchNormalization exported as arithmetic) into the Conv's weights and bias, computed in
 * double and rounded once, so that the activation after them can be fused into the convolution.
 */
public final class FoldScaleShift implements GraphPass {
    private final Set<String> kept;

    public FoldScaleShift() {
        this(Set.of());
    }

    /** @param kept values to keep: folding stops at each, so that it is still computed (calibration taps it) */
    public FoldScaleShift(Set<String> kept) {
        this.kept = Set.copyOf(kept);
    }

    @Override
    public Graph apply(Graph g) {
        GraphIndex index = new GraphIndex(g);
        Map<String, Tensor> constants = new LinkedHashMap<>(g.constants());
        Set<String> names = Graphs.names(g);
        Map<Node, Node> replaced = new IdentityHashMap<>();
        for (Node conv : g.nodes()) {
            if (!ChannelAffine.isFoldableConv(conv, index)) {
                continue;
            }
            Tensor w = index.constant(conv.input(1));
            ChannelAffine affine = ChannelAffine.identity(w.dim(0));
            String value = conv.outputs().get(0);
            List<Node> absorbed = new ArrayList<>();
            for (Node next = kept.contains(value) ? null : index.soleReader(value); next != null;
                    next = kept.contains(value) ? null : index.soleReader(value)) {
                ChannelAffine extended = affine.copy();
                if (!absorb(next, value, extended, w, index) || !extended.isFinite()) {
                    break;
                }
                affine = extended;
                absorbed.add(next);
                value = next.outputs().get(0);
            }
            if (!absorbed.isEmpty()) {
                replaced.put(conv, affine.foldInto(conv, value, constants, names));
                absorbed.forEach(n -> replaced.put(n, null));
            }
        }
        if (replaced.isEmpty()) {
            return g;
        }
        return Graphs.rebuild(g, Graphs.replace(g.nodes(), replaced), constants);
    }

    /** Adds the node's arithmetic to the map if it is {@code value} (op) a per-channel constant; else false. */
    private static boolean absorb(Node n, String value, ChannelAffine affine, Tensor w, GraphIndex index) {
        if (!n.domain().isEmpty() || n.inputs().size() != 2) {
            return false;
        }
        boolean first = n.input(0).equals(value);
        String other = first ? n.input(1) : n.input(0);
        Tensor c = index.constant(other);
        double[] v = c == null || c.dtype() != w.dtype() ? null : ChannelAffine.perChannel(c, w.rank(), w.dim(0));
        if (v == null || other.equals(value)) {
            return false;
        }
        switch (n.opType()) {
            case "Mul" -> affine.multiply(v);
            case "Add" -> affine.add(v);
            case "Sub" -> {
                if (!first) {
                    return false;
                }
                affine.add(negated(v));
            }
            case "Div" -> {
                if (!first) {
                    return false;
                }
                affine.multiply(inverted(v));
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    private static double[] negated(double[] v) {
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = -v[i];
        }
        return r;
    }

    private static double[] inverted(double[] v) {
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = 1 / v[i];
        }
        return r;
    }
}
