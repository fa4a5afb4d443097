package dev.octet.testing;

import dev.octet.ir.Attribute;
import dev.octet.ir.Attributes;
import dev.octet.ir.DataType;
import dev.octet.ir.Graph;
import dev.octet.ir.Node;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.Value;
import dev.octet.ir.op.ShapeInference;
import dev.octet.ir.op.quant.QuantMath;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Builds quantized graphs in the QDQ form Octet writes (QDQ_FORM.md) in code: a float input quantized to u8, then
 * convolutions (per-channel int8 weights, int32 bias at s_x·w_scale[o]), residual adds, max-pools, concats,
 * reshapes, each as DequantizeLinear → op → QuantizeLinear. Scales are chosen from each tensor's rough range so
 * that values spread over the integer range; weights and biases are random from a seed. Graph outputs are the
 * quantized tensors themselves, so tests compare integers.
 */
public final class QdqGraphBuilder {
    /** The activation after a convolution. */
    public enum Act { NONE, RELU, CLIP }

    /** A quantized tensor's scale, zero point and type, and its rough real range |v| ≤ range. */
    public record Params(float scale, long zeroPoint, DataType type, double range) {
        /** Parameters for values within ±range (or [0, range] where {@code nonNegative}) of an 8-bit type. */
        public static Params forRange(double range, boolean nonNegative, DataType type) {
            if (type == DataType.UINT8) {
                return nonNegative ? new Params((float) (range / 255), 0, type, range)
                        : new Params((float) (2 * range / 255), 128, type, range);
            }
            return new Params((float) (range / 127), 0, type, range);
        }
    }

    private final String name;
    private final Random random;
    private final List<Value> inputs = new ArrayList<>();
    private final List<Node> nodes = new ArrayList<>();
    private final Map<String, Tensor> constants = new LinkedHashMap<>();
    private final Map<String, Params> quantized = new HashMap<>();
    private int counter;

    public QdqGraphBuilder(String name, long seed) {
        this.name = name;
        this.random = new Random(seed);
    }

    /** A float input of values in [-1, 1), quantized to u8 (zero point 128); returns the quantized value. */
    public String input(String value, long... shape) {
        inputs.add(new Value(value, TensorType.of(DataType.FLOAT, shape)));
        return quantize(value, Params.forRange(1, false, DataType.UINT8));
    }

    public Params params(String quantizedValue) {
        return quantized.get(quantizedValue);
    }

    /**
     * A 2-D convolution of a quantized value, k×k, with bias; its output quantized with parameters chosen from its
     * rough range (zero point 0 after a ReLU on u8).
     *
     * @param sevenBit weights in [−64, 64], so every pair fits vpmaddubsw; else the full int8 range
     */
    public String conv(String xq, int cout, int k, int stride, int pad, int group, Act act, DataType outType,
            boolean sevenBit) {
        Params x = quantized.get(xq);
        int cin = channels(xq);
        double w = sevenBit ? 37 : 73; // rough magnitude of the weights
        double range = 2.5 * Math.sqrt((double) cin / group * k * k) * x.range() * 0.5 * w * 0.01;
        Params out = Params.forRange(range, act == Act.RELU && outType == DataType.UINT8, outType);
        return conv(xq, cout, k, stride, pad, group, act, out, sevenBit);
    }

    /** {@link #conv} with given output parameters (concat inputs share theirs). */
    public String conv(String xq, int cout, int k, int stride, int pad, int group, Act act, Params out,
            boolean sevenBit) {
        Params x = quantized.get(xq);
        int cin = channels(xq);
        int per = cin / group * k * k;
        long[] wq = new long[cout * per];
        float[] ws = new float[cout];
        long[] bq = new long[cout];
        float[] bs = new float[cout];
        int lim = sevenBit ? 64 : 127;
        for (int o = 0; o < cout; o++) {
            ws[o] = (float) ((0.5 + random.nextDouble()) / 100);
            bs[o] = x.scale() * ws[o];
            bq[o] = (long) QuantMath.rne((float) ((random.nextDouble() - 0.5) * x.range()) / bs[o]);
            for (int i = 0; i < per; i++) {
                wq[o * per + i] = random.nextInt(2 * lim + 1) - lim;
            }
        }
        String id = "c" + (++counter);
        String xd = dequantize(xq);
        String wd = dequantizeConstant(id + "_w", Tensor.ofLongs(DataType.INT8, new int[] {cout, cin / group, k, k},
                wq), ws, DataType.INT8);
        String bd = dequantizeConstant(id + "_b", Tensor.ofLongs(DataType.INT32, new int[] {cout}, bq), bs,
                DataType.INT32);
        String y = id;
        nodes.add(new Node(id, "Conv", "", List.of(xd, wd, bd), List.of(y), Attributes.of(
                Attribute.of("kernel_shape", (long) k, k), Attribute.of("strides", (long) stride, stride),
                Attribute.of("pads", (long) pad, pad, pad, pad), Attribute.of("group", (long) group))));
        if (act == Act.RELU) {
            nodes.add(Node.of(id + "_relu", "Relu", List.of(y), List.of(y + "_relu")));
            y += "_relu";
        } else if (act == Act.CLIP) {
            String lo = scalar(id + "_min", (float) (-0.25 * out.range()));
            String hi = scalar(id + "_max", (float) (0.5 * out.range()));
            nodes.add(Node.of(id + "_clip", "Clip", List.of(y, lo, hi), List.of(y + "_clip")));
            y += "_clip";
        }
        return quantize(y, out);
    }

    /** A residual add of two quantized values of one shape, optionally with ReLU. */
    public String add(String aq, String bq, boolean relu, DataType outType) {
        double range = quantized.get(aq).range() + quantized.get(bq).range();
        String id = "add" + (++counter);
        nodes.add(Node.of(id, "Add", List.of(dequantize(aq), dequantize(bq)), List.of(id)));
        String y = id;
        if (relu) {
            nodes.add(Node.of(id + "_relu", "Relu", List.of(y), List.of(y + "_relu")));
            y += "_relu";
        }
        return quantize(y, Params.forRange(range, relu && outType == DataType.UINT8, outType));
    }

    /** HardSwish as PyTorch exports it, x·Clip(x + 3, 0, 6)/6, in float between two quantized values. */
    public String hardSwish(String xq, DataType outType) {
        String id = "hswish" + (++counter);
        String x = dequantize(xq);
        nodes.add(Node.of(id + "_add", "Add", List.of(x, scalar(id + "_three", 3f)), List.of(id + "_add")));
        nodes.add(Node.of(id + "_clip", "Clip", List.of(id + "_add", scalar(id + "_zero", 0f),
                scalar(id + "_six", 6f)), List.of(id + "_clip")));
        nodes.add(Node.of(id + "_mul", "Mul", List.of(x, id + "_clip"), List.of(id + "_mul")));
        nodes.add(Node.of(id, "Div", List.of(id + "_mul", scalar(id + "_six_d", 6f)), List.of(id)));
        return quantize(id, Params.forRange(quantized.get(xq).range(), false, outType));
    }

    /** A float multiplication by one constant per channel (shape [1, C, 1, 1]) between two quantized values. */
    public String channelScale(String xq, DataType outType) {
        String id = "cscale" + (++counter);
        int c = channels(xq);
        float[] v = new float[c];
        for (int i = 0; i < c; i++) {
            v[i] = 0.5f + i;
        }
        constants.put(id + "_s", Tensor.ofFloats(new int[] {1, c, 1, 1}, v));
        nodes.add(Node.of(id, "Mul", List.of(dequantize(xq), id + "_s"), List.of(id)));
        return quantize(id, Params.forRange(quantized.get(xq).range() * (c + 0.5), false, outType));
    }

    public String maxPool(String xq, int k, int stride, int pad) {
        String id = "pool" + (++counter);
        nodes.add(Node.of(id, "MaxPool", List.of(dequantize(xq)), List.of(id),
                Attribute.of("kernel_shape", (long) k, k), Attribute.of("strides", (long) stride, stride),
                Attribute.of("pads", (long) pad, pad, pad, pad)));
        return quantize(id, quantized.get(xq));
    }

    /** Concat on channels; the inputs must share their parameters (QDQ_FORM: unified at calibration). */
    public String concat(String... qs) {
        String id = "cat" + (++counter);
        List<String> in = new ArrayList<>();
        for (String q : qs) {
            if (!quantized.get(q).equals(quantized.get(qs[0]))) {
                throw new IllegalArgumentException("concat inputs must share their parameters");
            }
            in.add(dequantize(q));
        }
        nodes.add(Node.of(id, "Concat", in, List.of(id), Attribute.of("axis", 1L)));
        return quantize(id, quantized.get(qs[0]));
    }

    /** A float island: DequantizeLinear, a one-input float operator (Sigmoid, Tanh...), QuantizeLinear to out. */
    public String floatOp(String xq, String opType, Params out) {
        String id = opType.toLowerCase(java.util.Locale.ROOT) + (++counter);
        nodes.add(Node.of(id, opType, List.of(dequantize(xq)), List.of(id)));
        return quantize(id, out);
    }

    public String flatten(String xq) {
        String id = "flat" + (++counter);
        nodes.add(Node.of(id, "Flatten", List.of(dequantize(xq)), List.of(id), Attribute.of("axis", 1L)));
        return quantize(id, quantized.get(xq));
    }

    /** The graph (opset 13) whose outputs are the given quantized values. */
    public Graph build(String... outputs) {
        Map<String, Integer> opsets = Map.of("", 13);
        List<Value> placeholder = List.of(outputs).stream().map(o -> new Value(o, inputs.get(0).type())).toList();
        Graph draft = new Graph(name, inputs, placeholder, nodes, constants, Map.of(), opsets);
        ShapeInference.Result types = ShapeInference.infer(draft, Map.of());
        List<Value> out = List.of(outputs).stream().map(o -> new Value(o, types.type(o))).toList();
        return new Graph(name, inputs, out, nodes, constants, Map.of(), opsets);
    }

    /** Random inputs in [-1, 1) for every input of the graph. */
    public static Map<String, Tensor> randomInputs(Graph g, long seed) {
        Random r = new Random(seed);
        Map<String, Tensor> in = new LinkedHashMap<>();
        for (Value v : g.inputs()) {
            int[] shape = v.type().shape();
            float[] x = new float[dev.octet.ir.Shapes.size(shape)];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) (r.nextDouble() * 2 - 1);
            }
            in.put(v.name(), Tensor.ofFloats(shape, x));
        }
        return in;
    }

    private String quantize(String value, Params p) {
        String q = value + "_q";
        String s = scalar(q + "_scale", p.scale());
        String z = q + "_zp";
        constants.put(z, Tensor.ofLongs(p.type(), new int[0], p.zeroPoint()));
        nodes.add(Node.of(q, "QuantizeLinear", List.of(value, s, z), List.of(q)));
        quantized.put(q, p);
        return q;
    }

    private String dequantize(String q) {
        String d = q + "_dq" + (++counter);
        nodes.add(Node.of(d, "DequantizeLinear", List.of(q, q + "_scale", q + "_zp"), List.of(d)));
        return d;
    }

    private String dequantizeConstant(String value, Tensor q, float[] scales, DataType type) {
        constants.put(value, q);
        constants.put(value + "_scale", Tensor.ofFloats(new int[] {scales.length}, scales));
        constants.put(value + "_zp", Tensor.ofLongs(type, new int[] {scales.length}, new long[scales.length]));
        String d = value + "_dq";
        nodes.add(Node.of(d, "DequantizeLinear", List.of(value, value + "_scale", value + "_zp"), List.of(d),
                Attribute.of("axis", 0L)));
        return d;
    }

    private String scalar(String value, float v) {
        constants.put(value, Tensor.ofFloats(new int[0], v));
        return value;
    }

    /** Channels of a quantized value (axis 1), from shape inference of the graph so far. */
    private int channels(String q) {
        Graph draft = new Graph(name, inputs, List.of(new Value(q, null)), nodes, constants, Map.of(),
                Map.of("", 13));
        return (int) ShapeInference.infer(draft, Map.of()).type(q).dims().get(1).value();
    }
}
