package dev.octet.quant;

import dev.octet.ir.Attribute;
import dev.octet.ir.Attributes;
import dev.octet.ir.DataType;
import dev.octet.ir.Graph;
import dev.octet.ir.Node;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.Value;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A small CNN built in code with one of each pattern the quantizer handles: conv+Relu, depthwise conv+Clip(0, 6),
 * a residual Add (+Relu), MaxPool, a conv with an all-zero output channel, Concat, GlobalAveragePool, Flatten, Gemm.
 */
public final class SyntheticModel {
    /** The conv whose output channel 0 has all-zero weights (its output there must be its bias). */
    static final String ZERO_CHANNEL_CONV = "c4";
    static final float ZERO_CHANNEL_BIAS = 0.75f;

    private final List<Node> nodes = new ArrayList<>();
    private final Map<String, Tensor> constants = new LinkedHashMap<>();
    private final Random random = new Random(7);

    private SyntheticModel() {
    }

    public static Graph build() {
        SyntheticModel m = new SyntheticModel();
        m.conv("c1", "x", 8, 3, 3, 1, 1);
        m.node("Relu", "r1", List.of("c1"));
        m.conv("c2", "r1", 8, 1, 3, 1, 8);
        m.constants.put("six", Tensor.ofFloats(new int[0], 6f));
        m.constants.put("zero", Tensor.ofFloats(new int[0], 0f));
        m.node("Clip", "k2", List.of("c2", "zero", "six"));
        m.conv("c3", "k2", 8, 8, 1, 0, 1);
        m.node("Add", "a3", List.of("c3", "r1"));
        m.node("Relu", "r3", List.of("a3"));
        m.node("MaxPool", "p", List.of("r3"), Attribute.of("kernel_shape", 2L, 2L), Attribute.of("strides", 2L, 2L));
        m.conv(ZERO_CHANNEL_CONV, "p", 4, 8, 1, 0, 1);
        float[] w4 = m.constants.get("c4_w").floats().clone();
        java.util.Arrays.fill(w4, 0, 8, 0f);
        m.constants.put("c4_w", Tensor.ofFloats(new int[] {4, 8, 1, 1}, w4));
        float[] b4 = m.constants.get("c4_b").floats().clone();
        b4[0] = ZERO_CHANNEL_BIAS;
        m.constants.put("c4_b", Tensor.ofFloats(new int[] {4}, b4));
        m.node("Relu", "r4", List.of("c4"));
        m.node("Concat", "cat", List.of("p", "r4"), Attribute.of("axis", 1L));
        m.node("GlobalAveragePool", "g", List.of("cat"));
        m.node("Flatten", "f", List.of("g"));
        m.constants.put("fc_w", m.random(10, 12));
        m.constants.put("fc_b", m.random(10));
        m.node("Gemm", "y", List.of("f", "fc_w", "fc_b"), Attribute.of("transB", 1L));
        return new Graph("synthetic", List.of(new Value("x", TensorType.of(DataType.FLOAT, 1, 3, 16, 16))),
                List.of(new Value("y", TensorType.of(DataType.FLOAT, 1, 10))), m.nodes, m.constants, Map.of(),
                Map.of("", 13));
    }

    private void conv(String name, String x, int out, int in, int k, int pad, int group) {
        constants.put(name + "_w", random(out, in, k, k));
        constants.put(name + "_b", random(out));
        node("Conv", name, List.of(x, name + "_w", name + "_b"), Attribute.of("kernel_shape", (long) k, k),
                Attribute.of("pads", (long) pad, pad, pad, pad), Attribute.of("group", (long) group));
    }

    private void node(String op, String out, List<String> in, Attribute... attrs) {
        nodes.add(new Node(out, op, "", in, List.of(out), Attributes.of(attrs)));
    }

    private Tensor random(int... shape) {
        float[] v = new float[dev.octet.ir.Shapes.size(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (random.nextGaussian() * 0.5);
        }
        return Tensor.ofFloats(shape, v);
    }

    /** Inputs for the model: uniform in [−1, 1), one per seed. */
    static Map<String, Tensor> input(long seed) {
        Random r = new Random(seed);
        float[] v = new float[3 * 16 * 16];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return Map.of("x", Tensor.ofFloats(new int[] {1, 3, 16, 16}, v));
    }
}
