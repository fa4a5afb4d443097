package dev.octet.pass;

import dev.octet.ir.Graph;
import dev.octet.ir.Node;
import dev.octet.ir.Tensor;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Folds the Mul, Div, Add and Sub by per-channel constants that feed a convolution which pads nothing (a pointwise
 * convolution, typically) into it: conv(s·x + t) has weights W·s and bias B + Σ W·t, computed in double and
 * rounded once. PP-LCNetV3 (PP-OCRv4) ends each activation with such a learnable scale and shift. Runs after
 * {@link FuseConvEpilogue} (it rewrites Conv and {@code octet.FusedConv} alike), so that it never takes the division
 * of an exported HardSwish away from the pattern the fusion looks for.
 */
public final class FoldScaleShiftBeforeConv implements GraphPass {
    private final Set<String> kept;

    public FoldScaleShiftBeforeConv() {
        this(Set.of());
    }

    /** @param kept values to keep: folding stops at each, so that it is still computed (calibration taps it) */
    public FoldScaleShiftBeforeConv(Set<String> kept) {
        this.kept = Set.copyOf(kept);
    }

    @Override
    public Graph apply(Graph g) {
        GraphIndex index = new GraphIndex(g);
        Map<String, Tensor> constants = new LinkedHashMap<>(g.constants());
        Set<String> names = Graphs.names(g);
        Map<Node, Node> replaced = new IdentityHashMap<>();
        for (Node conv : g.nodes()) {
            if (!isConvolution(conv) || !ChannelAffine.hasConstantWeights(conv, index)
                    || !padsNothing(conv, index.constant(conv.input(1)))) {
                continue;
            }
            Tensor w = index.constant(conv.input(1));
            long group = conv.attributes().getInt("group", 1);
            if (group < 1 || w.dim(1) < 1 || w.dim(0) % group != 0 || group * w.dim(1) > Integer.MAX_VALUE) {
                continue; // not a valid convolution; inference reports it
            }
            int channels = (int) group * w.dim(1);
            ChannelAffine affine = ChannelAffine.identity(channels);
            String input = conv.input(0);
            Map<Node, Node> absorbed = new IdentityHashMap<>();
            for (Node p = index.producer(input); p != null && index.soleReader(input) != null
                    && !replaced.containsKey(p) && !kept.contains(input); p = index.producer(input)) {
                ChannelAffine extended = affine.copy();
                String source = precede(p, input, extended, w, channels, index);
                if (source == null || !extended.isFinite()) {
                    break;
                }
                affine = extended;
                absorbed.put(p, null);
                input = source;
            }
            if (!absorbed.isEmpty()) {
                replaced.put(conv, affine.foldIntoInput(conv, input, constants, names));
                replaced.putAll(absorbed);
            }
        }
        return replaced.isEmpty() ? g : Graphs.rebuild(g, Graphs.replace(g.nodes(), replaced), constants);
    }

    private static boolean isConvolution(Node n) {
        return n.opType().equals("Conv") && n.domain().isEmpty() || PerChannel.isFusedConv(n);
    }

    /** Whether the convolution reads only inside its input: no pads, or a 1×…×1 kernel under SAME padding. */
    private static boolean padsNothing(Node conv, Tensor w) {
        String autoPad = conv.attributes().getString("auto_pad", "NOTSET");
        long[] pads = conv.attributes().getInts("pads", new long[0]);
        boolean unitKernel = Arrays.stream(w.shape()).skip(2).allMatch(k -> k == 1);
        return switch (autoPad) {
            case "NOTSET" -> Arrays.stream(pads).allMatch(p -> p == 0);
            case "VALID" -> true;
            default -> unitKernel;
        };
    }

    /**
     * Puts the node's arithmetic before the map if {@code p} computes {@code value} from another value and a
     * per-channel constant; returns that other value, or null.
     */
    private static String precede(Node p, String value, ChannelAffine affine, Tensor w, int channels,
            GraphIndex index) {
        if (!p.domain().isEmpty() || p.inputs().size() != 2 || !p.outputs().get(0).equals(value)) {
            return null;
        }
        boolean constantSecond = index.constant(p.input(1)) != null;
        String x = constantSecond ? p.input(0) : p.input(1);
        Tensor c = index.constant(constantSecond ? p.input(1) : p.input(0));
        double[] v = c == null || c.dtype() != w.dtype() || index.constant(x) != null ? null
                : ChannelAffine.perChannel(c, w.rank(), channels);
        if (v == null) {
            return null;
        }
        double[] ones = new double[channels];
        Arrays.fill(ones, 1);
        double[] zeros = new double[channels];
        switch (p.opType()) {
            case "Mul" -> affine.precede(v, zeros);
            case "Add" -> affine.precede(ones, v);
            case "Sub" -> {
                if (!constantSecond) {
                    return null;
                }
                affine.precede(ones, Arrays.stream(v).map(d -> -d).toArray());
            }
            case "Div" -> {
                if (!constantSecond) {
                    return null;
                }
                affine.precede(Arrays.stream(v).map(d -> 1 / d).toArray(), zeros);
            }
            default -> {
                return null;
            }
        }
        return x;
    }
}
