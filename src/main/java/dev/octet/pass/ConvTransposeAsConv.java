package dev.octet.pass;

import dev.octet.ir.Attribute;
import dev.octet.ir.Attributes;
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
 * Rewrites a ConvTranspose whose kernel equals its stride (no pads, no dilation, one group: the 2×2/2 upsampling of
 * PP-OCR det's head) as a 1×1 Conv to C·k·k channels followed by DepthToSpace (CRD): the output blocks do not
 * overlap, so each input pixel's k×k output block is a matrix product, W'[(o·k + i)·k + j, c] = W[c, o, i, j], and
 * the conv runs on the native GEMM. Channel-wise nodes after it (Add/Sub/Mul/Div by a per-channel constant,
 * BatchNormalization, unary activations) are moved before the DepthToSpace with their constants repeated k·k
 * times, so later passes fold them into the conv and its epilogue. Nothing is computed here (weights are moved, not
 * rounded), so the result is the same sums in another order.
 */
public final class ConvTransposeAsConv implements GraphPass {
    private static final Set<String> UNARY = Set.of("Relu", "Sigmoid", "Tanh", "LeakyRelu", "HardSigmoid",
            "HardSwish", "Clip");
    private static final Set<String> BINARY = Set.of("Add", "Sub", "Mul", "Div");

    @Override
    public Graph apply(Graph g) {
        GraphIndex index = new GraphIndex(g);
        Map<String, Tensor> constants = new LinkedHashMap<>(g.constants());
        Set<String> names = Graphs.names(g);
        Map<Node, Node> replaced = new IdentityHashMap<>();
        List<Node> added = new ArrayList<>();
        for (Node n : g.nodes()) {
            int k = blockSize(n, index);
            if (k == 0) {
                continue;
            }
            Tensor w = index.constant(n.input(1));
            int in = w.dim(0);
            int out = w.dim(1);
            int blocks = out * k * k;
            float[] wv = w.floats();
            float[] packed = new float[wv.length];
            for (int c = 0; c < in; c++) {
                for (int o = 0; o < out; o++) {
                    for (int t = 0; t < k * k; t++) {
                        packed[(o * k * k + t) * in + c] = wv[(c * out + o) * k * k + t];
                    }
                }
            }
            String wName = Graphs.fresh(names, n.input(1) + "_as_conv");
            constants.put(wName, Tensor.ofFloats(new int[] {blocks, in, 1, 1}, packed));
            List<String> inputs = new ArrayList<>(List.of(n.input(0), wName));
            if (n.hasInput(2)) {
                String bName = Graphs.fresh(names, n.input(2) + "_as_conv");
                constants.put(bName, repeat(index.constant(n.input(2)).toDoubles(), k * k, new int[] {blocks}));
                inputs.add(bName);
            }
            String value = Graphs.fresh(names, n.outputs().get(0) + "_blocks");
            added.add(new Node(n.name(), "Conv", "", inputs, List.of(value), Attributes.of(
                    Attribute.of("kernel_shape", 1L, 1L))));
            String result = n.outputs().get(0);
            for (Node next = index.soleReader(result); next != null; next = index.soleReader(result)) {
                Node moved = hoisted(next, result, value, out, k, index, constants, names);
                if (moved == null) {
                    break;
                }
                added.add(moved);
                replaced.put(next, null);
                value = moved.outputs().get(0);
                result = next.outputs().get(0);
            }
            replaced.put(n, new Node(n.name() + "_to_space", "DepthToSpace", "", List.of(value), List.of(result),
                    Attributes.of(Attribute.of("blocksize", (long) k), Attribute.of("mode", "CRD"))));
        }
        if (replaced.isEmpty()) {
            return g;
        }
        List<Node> nodes = new ArrayList<>(added);
        nodes.addAll(Graphs.replace(g.nodes(), replaced));
        return Graphs.rebuild(g, nodes, constants);
    }

    /** The block size k of a ConvTranspose this pass rewrites, else 0. */
    private static int blockSize(Node n, GraphIndex index) {
        if (!n.opType().equals("ConvTranspose") || !n.domain().isEmpty() || index.graph().opset("") < 11) {
            return 0;
        }
        Tensor w = index.constant(n.input(1));
        Tensor b = n.hasInput(2) ? index.constant(n.input(2)) : null;
        Attributes a = n.attributes();
        if (w == null || w.dtype() != dev.octet.ir.DataType.FLOAT || w.rank() != 4 || w.dim(2) != w.dim(3)
                || (n.hasInput(2) && (b == null || !b.dtype().isFloat() || b.size() != w.dim(1)))
                || a.getInt("group", 1) != 1 || a.has("output_shape")
                || !a.getString("auto_pad", "NOTSET").equals("NOTSET")) {
            return 0;
        }
        long k = w.dim(2);
        if (!all(a.getInts("strides", new long[] {1, 1}), k) || !all(a.getInts("dilations", new long[] {1, 1}), 1)
                || !all(a.getInts("pads", new long[4]), 0) || !all(a.getInts("output_padding", new long[2]), 0)
                || !all(a.getInts("kernel_shape", new long[] {k, k}), k)) {
            return 0;
        }
        return (int) k;
    }

    private static boolean all(long[] v, long expected) {
        for (long x : v) {
            if (x != expected) {
                return false;
            }
        }
        return true;
    }

    /**
     * The node {@code next} computing from {@code value} (the C·k·k-channel blocks) what it computed from
     * {@code result} (the C-channel image), under a fresh output name; null where it is not channel-wise.
     */
    private static Node hoisted(Node next, String result, String value, int channels, int k, GraphIndex index,
            Map<String, Tensor> constants, Set<String> names) {
        if (!next.domain().isEmpty() || next.outputs().size() != 1 || next.inputs().isEmpty()) {
            return null;
        }
        List<String> inputs = new ArrayList<>(next.inputs());
        String op = next.opType();
        if (UNARY.contains(op)) {
            if (!next.input(0).equals(result) || next.inputs().stream().skip(1)
                    .anyMatch(i -> !i.isEmpty() && (index.constant(i) == null || index.constant(i).size() != 1))) {
                return null;
            }
        } else if (BINARY.contains(op) && next.inputs().size() == 2) {
            int other = next.input(0).equals(result) ? 1 : 0;
            double[] c = ChannelAffine.perChannel(index.constant(next.input(other)), 4, channels);
            if (c == null || next.input(other).equals(result)) {
                return null;
            }
            inputs.set(other, Graphs.fresh(names, next.input(other) + "_blocks"));
            constants.put(inputs.get(other), repeat(c, k * k, new int[] {1, channels * k * k, 1, 1}));
        } else if (op.equals("BatchNormalization") && next.inputs().size() == 5 && next.input(0).equals(result)) {
            for (int i = 1; i < 5; i++) {
                Tensor p = index.constant(next.input(i));
                if (p == null || !p.dtype().isFloat() || p.rank() != 1 || p.size() != channels) {
                    return null;
                }
                inputs.set(i, Graphs.fresh(names, next.input(i) + "_blocks"));
                constants.put(inputs.get(i), repeat(p.toDoubles(), k * k, new int[] {channels * k * k}));
            }
        } else {
            return null;
        }
        if (inputs.indexOf(result) != 0 && !BINARY.contains(op)) {
            return null;
        }
        inputs.replaceAll(i -> i.equals(result) ? value : i);
        String out = Graphs.fresh(names, next.outputs().get(0) + "_blocks");
        return new Node(next.name(), op, "", inputs, List.of(out), next.attributes());
    }

    /** Each value repeated {@code times} times in a row, as floats of the given shape. */
    private static Tensor repeat(double[] v, int times, int[] shape) {
        float[] r = new float[v.length * times];
        for (int i = 0; i < r.length; i++) {
            r[i] = (float) v[i / times];
        }
        return Tensor.ofFloats(shape, r);
    }
}
