package dev.octet.pass;

import dev.octet.ir.Node;
import dev.octet.ir.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A per-output-channel affine map y = scale·x + shift applied to a convolution's result, held in double, and its
 * folding into the convolution's weights and bias: W'[o] = W[o]·scale[o], B'[o] = B[o]·scale[o] + shift[o], each
 * rounded once to the weight type.
 */
final class ChannelAffine {
    private final double[] scale;
    private final double[] shift;

    private ChannelAffine(double[] scale, double[] shift) {
        this.scale = scale;
        this.shift = shift;
    }

    static ChannelAffine identity(int channels) {
        double[] scale = new double[channels];
        Arrays.fill(scale, 1);
        return new ChannelAffine(scale, new double[channels]);
    }

    ChannelAffine copy() {
        return new ChannelAffine(scale.clone(), shift.clone());
    }

    /** Multiplies the map's result by {@code c[o]}. */
    void multiply(double[] c) {
        for (int o = 0; o < scale.length; o++) {
            scale[o] *= c[o];
            shift[o] *= c[o];
        }
    }

    /** Adds {@code c[o]} to the map's result. */
    void add(double[] c) {
        for (int o = 0; o < scale.length; o++) {
            shift[o] += c[o];
        }
    }

    /** Whether folding gives finite weights (a division by zero or an infinite constant does not). */
    boolean isFinite() {
        for (int o = 0; o < scale.length; o++) {
            if (!Double.isFinite(scale[o]) || !Double.isFinite(shift[o])) {
                return false;
            }
        }
        return true;
    }

    /**
     * The convolution computing {@code output} = this map applied to {@code conv}'s result, reading new weight and
     * bias constants added to {@code constants} under fresh names ({@code W_folded}, {@code B_folded}).
     */
    Node foldInto(Node conv, String output, Map<String, Tensor> constants, Set<String> names) {
        Tensor w = constants.get(conv.input(1));
        Tensor b = conv.hasInput(2) ? constants.get(conv.input(2)) : null;
        double[] wv = w.toDoubles();
        int perChannel = wv.length / scale.length;
        for (int i = 0; i < wv.length; i++) {
            wv[i] *= scale[i / perChannel];
        }
        double[] bv = new double[scale.length];
        for (int o = 0; o < bv.length; o++) {
            bv[o] = (b == null ? 0 : b.getDouble(o)) * scale[o] + shift[o];
        }
        String wName = Graphs.fresh(names, conv.input(1) + "_folded");
        String bName = Graphs.fresh(names, (b == null ? conv.input(1) + "_bias" : conv.input(2)) + "_folded");
        constants.put(wName, Tensor.ofDoubles(w.dtype(), w.shape(), wv));
        constants.put(bName, Tensor.ofDoubles(w.dtype(), new int[] {bv.length}, bv));
        List<String> inputs = new ArrayList<>(List.of(conv.input(0), wName, bName));
        return new Node(conv.name(), conv.opType(), conv.domain(), inputs, List.of(output), conv.attributes());
    }

    /**
     * The values of a constant that broadcasts per output channel against a result of rank {@code rank} with the
     * channels on axis 1 (shape [C,1,1], [1,C,1,1], or one element), one per channel; null for any other shape.
     */
    static double[] perChannel(Tensor c, int rank, int channels) {
        if (c == null || !c.dtype().isFloat() || c.rank() > rank) {
            return null;
        }
        for (int i = 0; i < c.rank(); i++) {
            int axis = rank - c.rank() + i;
            if (c.dim(i) != 1 && !(axis == 1 && c.dim(i) == channels)) {
                return null;
            }
        }
        double[] v = new double[channels];
        for (int o = 0; o < channels; o++) {
            v[o] = c.getDouble(c.size() == 1 ? 0 : o);
        }
        return v;
    }

    /** Whether a node is a plain ONNX Conv with constant weights (and a constant bias, if any) to fold into. */
    static boolean isFoldableConv(Node n, GraphIndex index) {
        return n != null && n.opType().equals("Conv") && n.domain().isEmpty()
                && index.constant(n.input(1)) != null && index.constant(n.input(1)).dtype().isFloat()
                && index.constant(n.input(1)).rank() >= 3
                && (!n.hasInput(2) || index.constant(n.input(2)) != null);
    }
}
