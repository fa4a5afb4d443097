package dev.octet.pass;

import dev.octet.ir.Attribute;
import dev.octet.ir.Attributes;
import dev.octet.ir.Node;
import dev.octet.ir.Tensor;
import dev.octet.ir.op.nn.EpilogueStep;
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

    /** Makes the map y = this(c·x + d): the given map is applied first. */
    void precede(double[] c, double[] d) {
        for (int i = 0; i < scale.length; i++) {
            shift[i] += scale[i] * d[i];
            scale[i] *= c[i];
        }
    }

    /**
     * The convolution (a Conv or an {@code octet.FusedConv}, whose epilogue then starts with "bias") that reads
     * {@code input} and computes what {@code conv} computes from this map applied to {@code input}, with the map
     * over the convolution's input channels. Only valid where the convolution pads nothing (a padded border would
     * see the shift where the original saw zeros).
     */
    Node foldIntoInput(Node conv, String input, Map<String, Tensor> constants, Set<String> names) {
        Tensor w = constants.get(conv.input(1));
        Tensor b = conv.hasInput(2) ? constants.get(conv.input(2)) : null;
        int m = w.dim(0);
        int perGroup = w.dim(1);
        int groupOut = m / (scale.length / perGroup);
        int taps = w.size() / (m * perGroup);
        double[] wv = w.toDoubles();
        double[] bv = new double[m];
        for (int o = 0; o < m; o++) {
            bv[o] = b == null ? 0 : b.getDouble(o);
            for (int ci = 0; ci < perGroup; ci++) {
                int c = o / groupOut * perGroup + ci;
                for (int k = 0; k < taps; k++) {
                    int i = (o * perGroup + ci) * taps + k;
                    bv[o] += wv[i] * shift[c];
                    wv[i] *= scale[c];
                }
            }
        }
        String wName = Graphs.fresh(names, conv.input(1) + "_folded");
        String bName = Graphs.fresh(names, (b == null ? conv.input(1) + "_bias" : conv.input(2)) + "_folded");
        constants.put(wName, Tensor.ofDoubles(w.dtype(), w.shape(), wv));
        constants.put(bName, Tensor.ofDoubles(w.dtype(), new int[] {m}, bv));
        List<String> inputs = new ArrayList<>(conv.inputs());
        while (inputs.size() < 3) {
            inputs.add("");
        }
        inputs.set(0, input);
        inputs.set(1, wName);
        inputs.set(2, bName);
        Attributes attrs = conv.attributes();
        if (b == null && conv.domain().equals(Graphs.OCTET_DOMAIN)) {
            List<String> steps = new ArrayList<>(List.of(EpilogueStep.BIAS.text()));
            steps.addAll(attrs.getStrings("epilogue"));
            attrs = attrs.with(Attribute.ofStrings("epilogue", steps));
        }
        return new Node(conv.name(), conv.opType(), conv.domain(), inputs, conv.outputs(), attrs);
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
        return n != null && n.opType().equals("Conv") && n.domain().isEmpty() && hasConstantWeights(n, index);
    }

    /** Whether a convolution's weights (and its bias, if any) are constants of a float type. */
    static boolean hasConstantWeights(Node n, GraphIndex index) {
        return index.constant(n.input(1)) != null && index.constant(n.input(1)).dtype().isFloat()
                && index.constant(n.input(1)).rank() >= 3
                && (!n.hasInput(2) || index.constant(n.input(2)) != null);
    }
}
