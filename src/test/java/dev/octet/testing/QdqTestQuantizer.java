package dev.octet.testing;

import dev.octet.CompileOptions;
import dev.octet.build.ModelCompiler;
import dev.octet.ir.DataType;
import dev.octet.ir.Graph;
import dev.octet.ir.Node;
import dev.octet.ir.Tensor;
import dev.octet.ir.Value;
import dev.octet.ir.op.quant.QuantMath;
import dev.octet.runtime.CompiledModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A minimal quantizer for tests and benchmarks of the int8 compiler (not the product's quantizer): writes a
 * simplified fp32 CNN (Conv with constant weights and bias, ReLU, Add, MaxPool; anything else a float island) in
 * the QDQ form of QDQ_FORM.md, with per-channel symmetric int8 weights, int32 bias at s_x·w_scale[o], and u8
 * activations whose ranges are min/max over a few inputs (run by a compiled fp32 model that outputs them).
 */
public final class QdqTestQuantizer {
    private QdqTestQuantizer() {
    }

    /**
     * The QDQ graph.
     *
     * @param g a graph whose convolutions have constant weights and bias (BatchNorm folded)
     * @param calibration inputs whose min/max ranges give the activations' scales
     * @param sevenBit weights in [−64, 64] (every pair fits vpmaddubsw) instead of [−127, 127]
     */
    public static Graph quantize(Graph g, List<Map<String, Tensor>> calibration, boolean sevenBit) {
        Map<String, String> rangeOf = quantizedValues(g);
        Map<String, float[]> ranges = ranges(g, new LinkedHashSet<>(rangeOf.values()), calibration);
        Map<String, QdqGraphBuilder.Params> params = new HashMap<>();
        rangeOf.forEach((v, r) -> {
            float[] mm = ranges.get(r);
            params.put(v, mm[0] >= 0 ? QdqGraphBuilder.Params.forRange(Math.max(mm[1], 1e-6), true, DataType.UINT8)
                    : asymmetricU8(mm[0], Math.max(mm[1], 0)));
        });
        List<Node> nodes = new ArrayList<>();
        Map<String, Tensor> constants = new LinkedHashMap<>(g.constants());
        int[] counter = {0};
        for (Node n : g.nodes()) {
            List<String> inputs = new ArrayList<>(n.inputs());
            for (int i = 0; i < inputs.size(); i++) {
                String in = inputs.get(i);
                if (params.containsKey(in)) {
                    String dq = in + "_dq" + (++counter[0]);
                    nodes.add(Node.of(dq, "DequantizeLinear", List.of(in + "_q", in + "_q_scale", in + "_q_zp"),
                            List.of(dq)));
                    inputs.set(i, dq);
                }
            }
            if (n.opType().equals("Conv") && params.containsKey(n.input(0))) {
                float sx = params.get(n.input(0)).scale();
                float[] ws = weights(constants, n.input(1), sevenBit);
                inputs.set(1, dequantize(nodes, n.input(1), DataType.INT8));
                if (n.hasInput(2)) {
                    bias(constants, n.input(2), sx, ws);
                    inputs.set(2, dequantize(nodes, n.input(2), DataType.INT32));
                }
            }
            nodes.add(new Node(n.name(), n.opType(), n.domain(), inputs, n.outputs(), n.attributes()));
            for (String out : n.outputs()) {
                QdqGraphBuilder.Params p = params.get(out);
                if (p != null) {
                    constants.put(out + "_q_scale", Tensor.ofFloats(new int[0], p.scale()));
                    constants.put(out + "_q_zp", Tensor.ofLongs(DataType.UINT8, new int[0], p.zeroPoint()));
                    nodes.add(Node.of(out + "_q", "QuantizeLinear", List.of(out, out + "_q_scale", out + "_q_zp"),
                            List.of(out + "_q")));
                }
            }
        }
        for (Value v : g.inputs()) {
            QdqGraphBuilder.Params p = params.get(v.name());
            constants.put(v.name() + "_q_scale", Tensor.ofFloats(new int[0], p.scale()));
            constants.put(v.name() + "_q_zp", Tensor.ofLongs(DataType.UINT8, new int[0], p.zeroPoint()));
            nodes.addFirst(Node.of(v.name() + "_q", "QuantizeLinear", List.of(v.name(), v.name() + "_q_scale",
                    v.name() + "_q_zp"), List.of(v.name() + "_q")));
        }
        return new Graph(g.name() + "_qdq", g.inputs(), g.outputs(), nodes, constants, Map.of(), g.opsets());
    }

    /**
     * The values to quantize, each with the value whose range gives its parameters: the inputs, each Conv's or
     * Add's result (after its ReLU where one follows), and MaxPool's output, which shares its input's.
     */
    private static Map<String, String> quantizedValues(Graph g) {
        Map<String, Integer> readers = new HashMap<>();
        Map<String, Node> reader = new HashMap<>();
        for (Node n : g.nodes()) {
            for (String in : n.inputs()) {
                readers.merge(in, 1, Integer::sum);
                reader.put(in, n);
            }
        }
        Map<String, String> q = new LinkedHashMap<>();
        g.inputs().forEach(v -> q.put(v.name(), v.name()));
        for (Node n : g.nodes()) {
            String out = n.outputs().get(0);
            boolean conv = n.opType().equals("Conv") && g.constants().containsKey(n.input(1));
            boolean add = n.opType().equals("Add") && q.containsKey(n.input(0)) && q.containsKey(n.input(1));
            if (conv || add) {
                Node next = readers.getOrDefault(out, 0) == 1 ? reader.get(out) : null;
                String act = next != null && next.opType().equals("Relu") ? next.outputs().get(0) : out;
                q.put(act, act);
            } else if (n.opType().equals("MaxPool") && q.containsKey(n.input(0))) {
                q.put(out, q.get(n.input(0)));
            }
        }
        return q;
    }

    /** min and max of each value over the inputs, from the compiled fp32 model with those values as outputs. */
    private static Map<String, float[]> ranges(Graph g, Set<String> values, List<Map<String, Tensor>> inputs) {
        List<Value> outputs = new ArrayList<>(g.outputs());
        values.stream().filter(v -> g.inputs().stream().noneMatch(i -> i.name().equals(v)))
                .forEach(v -> outputs.add(new Value(v, null)));
        Graph tapped = new Graph(g.name(), g.inputs(), outputs, g.nodes(), g.constants(), Map.of(), g.opsets());
        Map<String, float[]> ranges = new HashMap<>();
        CompileOptions options = CompileOptions.defaults().withThreads(2).withCacheDir(Path.of("target",
                "test-native-cache"));
        try (CompiledModel m = ModelCompiler.compile(tapped, options)) {
            for (Map<String, Tensor> in : inputs) {
                Map<String, Tensor> all = new HashMap<>(m.run(in));
                all.putAll(in);
                for (String v : values) {
                    float[] r = ranges.computeIfAbsent(v, k -> new float[] {Float.MAX_VALUE, -Float.MAX_VALUE});
                    for (float x : all.get(v).floats()) {
                        r[0] = Math.min(r[0], x);
                        r[1] = Math.max(r[1], x);
                    }
                }
            }
        }
        return ranges;
    }

    private static QdqGraphBuilder.Params asymmetricU8(float min, float max) {
        float scale = (max - min) / 255;
        long zp = Math.clamp((long) QuantMath.rne(-min / scale), 0, 255);
        return new QdqGraphBuilder.Params(scale, zp, DataType.UINT8, Math.max(-min, max));
    }

    /** Replaces the float weights by int8 ones (symmetric per output channel) and their scales; returns those. */
    private static float[] weights(Map<String, Tensor> constants, String name, boolean sevenBit) {
        Tensor w = constants.get(name);
        int rows = w.dim(0);
        int per = w.size() / rows;
        int qmax = sevenBit ? 64 : 127;
        float[] scale = new float[rows];
        long[] q = new long[w.size()];
        for (int o = 0; o < rows; o++) {
            float max = 0;
            for (int i = 0; i < per; i++) {
                max = Math.max(max, Math.abs(w.floats()[o * per + i]));
            }
            scale[o] = max == 0 ? 1 : max / qmax;
            for (int i = 0; i < per; i++) {
                q[o * per + i] = Math.clamp((long) QuantMath.rne(w.floats()[o * per + i] / scale[o]), -qmax, qmax);
            }
        }
        constants.put(name, Tensor.ofLongs(DataType.INT8, w.shape(), q));
        constants.put(name + "_scale", Tensor.ofFloats(new int[] {rows}, scale));
        constants.put(name + "_zp", Tensor.ofLongs(DataType.INT8, new int[] {rows}, new long[rows]));
        return scale;
    }

    /** Replaces the float bias by int32 at scale s_x·w_scale[o] (fp32), with that scale and zero points. */
    private static void bias(Map<String, Tensor> constants, String name, float sx, float[] ws) {
        Tensor b = constants.get(name);
        long[] q = new long[b.size()];
        float[] scale = new float[b.size()];
        for (int o = 0; o < q.length; o++) {
            scale[o] = sx * ws[o];
            q[o] = Math.clamp((long) QuantMath.rne(b.floats()[o] / scale[o]), Integer.MIN_VALUE, Integer.MAX_VALUE);
        }
        constants.put(name, Tensor.ofLongs(DataType.INT32, b.shape(), q));
        constants.put(name + "_scale", Tensor.ofFloats(new int[] {q.length}, scale));
        constants.put(name + "_zp", Tensor.ofLongs(DataType.INT32, new int[] {q.length}, new long[q.length]));
    }

    private static String dequantize(List<Node> nodes, String name, DataType type) {
        String dq = name + "_dq";
        nodes.add(new Node(dq, "DequantizeLinear", "", List.of(name, name + "_scale", name + "_zp"), List.of(dq),
                dev.octet.ir.Attributes.of(dev.octet.ir.Attribute.of("axis", 0L))));
        return dq;
    }
}
