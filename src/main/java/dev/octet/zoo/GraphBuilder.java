package dev.octet.zoo;

import dev.octet.ir.Attribute;
import dev.octet.ir.Graph;
import dev.octet.ir.Model;
import dev.octet.ir.Node;
import dev.octet.ir.Tensor;
import dev.octet.ir.Value;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds an fp32 inference graph layer by layer, in the form PyTorch's ONNX exporter gives for torchvision models
 * exported without constant folding: Conv (no bias) → BatchNormalization (with running statistics) → Relu, ReLU6
 * as Clip(0, 6), Flatten → Gemm(transB=1) for linear layers, opset 13, batch dimension symbolic ("N").
 *
 * <p>Names are generated: a node is named {@code scope/OpType} (with {@code _k} for the k-th repeat in one scope),
 * its output value takes the node's name, and its weights are {@code node.weight}, {@code node.bias},
 * {@code node.running_mean}... Architectures open scopes named after torchvision's modules ({@code layer1.0}).
 *
 * <p>Weights come from one fixed-seed {@link java.util.Random} ({@link RandomWeights}), so a build is reproducible
 * bit for bit. They are scaled to keep the mean square of activations about constant through any depth:
 * convolution weights He-normal (std √(2/fan_in)); BN layers that scale each channel by a factor of mean square 1
 * (see {@link RandomWeights#batchNorm}; a caller may shrink it for a residual branch's last BN so that sums of many
 * branches do not grow); linear layers He-normal before a ReLU and LeCun-normal (std √(1/fan_in)) for the logits;
 * biases small. On a standard normal input the logits have a standard deviation of about 1 to 4.
 */
final class GraphBuilder {
    /** The opset the zoo writes (the ONNX version torchvision exports of these models are usually read at). */
    public static final int OPSET = 13;
    /** The symbolic batch dimension. */
    public static final String BATCH = "N";

    private final String graphName;
    private final long seed;
    private final RandomWeights random;
    private final List<Value> inputs = new ArrayList<>();
    private final List<Node> nodes = new ArrayList<>();
    private final Map<String, Tensor> constants = new LinkedHashMap<>();
    private final Map<String, Integer> nameUses = new HashMap<>();
    private final Deque<String> scopes = new ArrayDeque<>();
    private long trainable;

    /** @param seed the seed of the weights' random generator */
    public GraphBuilder(String graphName, long seed) {
        this.graphName = graphName;
        this.seed = seed;
        this.random = new RandomWeights(seed);
    }

    /** Opens a naming scope (closed by the returned handle); scopes nest, joined by dots. */
    public Scope scope(String name) {
        scopes.addLast(name);
        return new Scope(name);
    }

    /** A naming scope to close with try-with-resources. */
    public final class Scope implements AutoCloseable {
        private final String name;

        private Scope(String name) {
            this.name = name;
        }

        @Override
        public void close() {
            if (!name.equals(scopes.peekLast())) {
                throw new IllegalStateException("scope " + name + " closed out of order");
            }
            scopes.removeLast();
        }
    }

    /** A graph input [N, channels, height, width] of fp32. */
    public Act input(String name, int channels, int height, int width) {
        Act a = new Act(name, channels, height, width, false);
        inputs.add(new Value(name, a.type()));
        return a;
    }

    /** A square convolution without bias (as torchvision places before a BatchNorm). */
    public Act conv(Act x, int out, int kernel, int stride, int pad) {
        return conv(x, out, kernel, kernel, stride, pad, pad, 1, false);
    }

    /** A convolution with He-normal weights; padding is symmetric (top = bottom = padH, left = right = padW). */
    public Act conv(Act x, int out, int kh, int kw, int stride, int padH, int padW, int groups, boolean bias) {
        requireSpatial(x, "Conv");
        if (x.channels() % groups != 0 || out % groups != 0) {
            throw new IllegalArgumentException("groups " + groups + " must divide " + x.channels() + " and " + out);
        }
        int h = (x.height() + 2 * padH - kh) / stride + 1;
        int w = (x.width() + 2 * padW - kw) / stride + 1;
        if (h < 1 || w < 1) {
            throw new IllegalArgumentException("Conv " + kh + "x" + kw + " does not fit " + x);
        }
        int fanIn = x.channels() / groups * kh * kw;
        String node = nodeName("Conv");
        Tensor weight = random.normal(Math.sqrt(2.0 / fanIn), out, x.channels() / groups, kh, kw);
        List<String> in = new ArrayList<>(List.of(x.name(), param(node + ".weight", weight)));
        if (bias) {
            in.add(param(node + ".bias", random.uniform(1 / Math.sqrt(fanIn), out)));
        }
        add(node, "Conv", in,
                Attribute.of("dilations", 1L, 1L),
                Attribute.of("group", (long) groups),
                Attribute.of("kernel_shape", (long) kh, kw),
                Attribute.of("pads", (long) padH, padW, padH, padW),
                Attribute.of("strides", (long) stride, stride));
        return new Act(node, out, h, w, false);
    }

    /**
     * BatchNormalization in inference form (running statistics as inputs), with random statistics that neither
     * grow nor shrink activations on average (see {@link RandomWeights#batchNorm}).
     *
     * @param gammaScale scales the BN's output; below 1 for the last BN of a residual branch
     */
    public Act batchNorm(Act x, double epsilon, double gammaScale) {
        requireSpatial(x, "BatchNormalization");
        int c = x.channels();
        String node = nodeName("BatchNormalization");
        RandomWeights.BatchNormStats s = random.batchNorm(c, epsilon, gammaScale);
        int[] shape = {c};
        add(node, "BatchNormalization", List.of(x.name(),
                param(node + ".weight", Tensor.ofFloats(shape, s.gamma())),
                param(node + ".bias", Tensor.ofFloats(shape, s.beta())),
                buffer(node + ".running_mean", Tensor.ofFloats(shape, s.mean())),
                buffer(node + ".running_var", Tensor.ofFloats(shape, s.var()))),
                Attribute.of("epsilon", (float) epsilon),
                Attribute.of("momentum", 0.9f));
        return x.withName(node);
    }

    public Act relu(Act x) {
        String node = nodeName("Relu");
        add(node, "Relu", List.of(x.name()));
        return x.withName(node);
    }

    /** ReLU6 as PyTorch exports it at opset 11+: Clip with constant min 0 and max 6 inputs. */
    public Act relu6(Act x) {
        String node = nodeName("Clip");
        String min = constantScalar("relu6.min", 0f);
        String max = constantScalar("relu6.max", 6f);
        add(node, "Clip", List.of(x.name(), min, max));
        return x.withName(node);
    }

    /** Elementwise sum of two activations of one shape (a residual connection). */
    public Act add(Act a, Act b) {
        if (a.channels() != b.channels() || a.height() != b.height() || a.width() != b.width()) {
            throw new IllegalArgumentException("Add of " + a + " and " + b);
        }
        String node = nodeName("Add");
        add(node, "Add", List.of(a.name(), b.name()));
        return a.withName(node);
    }

    /** Concatenation along channels. */
    public Act concat(List<Act> parts) {
        int c = 0;
        for (Act p : parts) {
            requireSpatial(p, "Concat");
            if (p.height() != parts.get(0).height() || p.width() != parts.get(0).width()) {
                throw new IllegalArgumentException("Concat of " + parts);
            }
            c += p.channels();
        }
        String node = nodeName("Concat");
        add(node, "Concat", parts.stream().map(Act::name).toList(), Attribute.of("axis", 1L));
        Act first = parts.get(0);
        return new Act(node, c, first.height(), first.width(), false);
    }

    /** MaxPool with floor rounding (ceil_mode 0). */
    public Act maxPool(Act x, int kernel, int stride, int pad) {
        return pool("MaxPool", x, kernel, stride, pad);
    }

    /** AveragePool with floor rounding, padding counted in the divisor (PyTorch's count_include_pad=True). */
    public Act avgPool(Act x, int kernel, int stride, int pad) {
        return pool("AveragePool", x, kernel, stride, pad);
    }

    private Act pool(String op, Act x, int kernel, int stride, int pad) {
        requireSpatial(x, op);
        String node = nodeName(op);
        List<Attribute> attrs = new ArrayList<>(List.of(
                Attribute.of("ceil_mode", 0L),
                Attribute.of("kernel_shape", (long) kernel, kernel),
                Attribute.of("pads", (long) pad, pad, pad, pad),
                Attribute.of("strides", (long) stride, stride)));
        if (op.equals("AveragePool")) {
            attrs.add(Attribute.of("count_include_pad", 1L));
        }
        add(node, op, List.of(x.name()), attrs.toArray(Attribute[]::new));
        int h = (x.height() + 2 * pad - kernel) / stride + 1;
        int w = (x.width() + 2 * pad - kernel) / stride + 1;
        return new Act(node, x.channels(), h, w, false);
    }

    /** Mean over height and width, as PyTorch exports AdaptiveAvgPool2d((1, 1)). */
    public Act globalAvgPool(Act x) {
        requireSpatial(x, "GlobalAveragePool");
        String node = nodeName("GlobalAveragePool");
        add(node, "GlobalAveragePool", List.of(x.name()));
        return new Act(node, x.channels(), 1, 1, false);
    }

    /** [N, C, H, W] to [N, C·H·W]. */
    public Act flatten(Act x) {
        requireSpatial(x, "Flatten");
        String node = nodeName("Flatten");
        add(node, "Flatten", List.of(x.name()), Attribute.of("axis", 1L));
        return new Act(node, x.channels() * x.height() * x.width(), 1, 1, true);
    }

    /**
     * A linear layer y = x·Wᵀ + b as PyTorch exports nn.Linear (Gemm, transB=1; W is [out, in]).
     *
     * @param beforeRelu He-normal weights where a ReLU follows, LeCun-normal where it does not (the logits)
     */
    public Act linear(Act x, int out, boolean beforeRelu) {
        if (!x.flat()) {
            throw new IllegalArgumentException("Gemm needs a flattened input, got " + x);
        }
        int in = x.channels();
        String node = nodeName("Gemm");
        add(node, "Gemm", List.of(x.name(),
                param(node + ".weight", random.normal(Math.sqrt((beforeRelu ? 2.0 : 1.0) / in), out, in)),
                param(node + ".bias", random.uniform(1 / Math.sqrt(in), out))),
                Attribute.of("alpha", 1f), Attribute.of("beta", 1f), Attribute.of("transB", 1L));
        return new Act(node, out, 1, 1, true);
    }

    /**
     * The finished model: the given activation renamed to {@code outputName} and declared as the only output.
     *
     * @param architecture recorded in the metadata with the seed and parameter count
     */
    public Model build(Act output, String outputName, String architecture) {
        Node last = nodes.get(nodes.size() - 1);
        if (!last.outputs().equals(List.of(output.name()))) {
            throw new IllegalStateException("the output must be the last node's only output");
        }
        nodes.set(nodes.size() - 1, new Node(last.name(), last.opType(), last.domain(), last.inputs(),
                List.of(outputName), last.attributes()));
        Graph g = new Graph(graphName, inputs, List.of(new Value(outputName, output.withName(outputName).type())),
                nodes, constants, Map.of(), Map.of("", OPSET));
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("architecture", architecture);
        metadata.put("weights", "random (java.util.Random seed " + seed + "), not trained");
        metadata.put("parameters", Long.toString(trainable));
        return new Model(g, null, "octet", metadata);
    }

    /**
     * Elements in trainable tensors as PyTorch counts {@code parameters()}: convolution and linear weights and
     * biases, BN γ and β; BN running statistics and other constants are buffers, not parameters.
     */
    public long trainableParameters() {
        return trainable;
    }

    private String nodeName(String op) {
        String scope = String.join(".", scopes);
        String base = (scope.isEmpty() ? "" : scope + "/") + op;
        int k = nameUses.merge(base, 1, Integer::sum) - 1;
        return k == 0 ? base : base + "_" + k;
    }

    private void add(String name, String op, List<String> in, Attribute... attrs) {
        nodes.add(Node.of(name, op, in, List.of(name), attrs));
    }

    private String param(String name, Tensor t) {
        trainable += t.size();
        return buffer(name, t);
    }

    private String buffer(String name, Tensor t) {
        if (constants.put(name, t) != null) {
            throw new IllegalStateException("constant " + name + " defined twice");
        }
        return name;
    }

    private String constantScalar(String name, float v) {
        Tensor t = Tensor.ofFloats(new int[0], v);
        Tensor old = constants.putIfAbsent(name, t);
        if (old != null && !old.sameAs(t)) {
            throw new IllegalStateException("constant " + name + " redefined");
        }
        return name;
    }

    private static void requireSpatial(Act x, String op) {
        if (x.flat()) {
            throw new IllegalArgumentException(op + " needs an [N, C, H, W] activation, got the flattened "
                    + x.name());
        }
    }
}
