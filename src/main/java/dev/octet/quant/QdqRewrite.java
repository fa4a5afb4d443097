package dev.octet.quant;

import dev.octet.ir.Attribute;
import dev.octet.ir.Attributes;
import dev.octet.ir.DataType;
import dev.octet.ir.Graph;
import dev.octet.ir.Node;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.Value;
import dev.octet.ir.op.quant.QuantMath;
import dev.octet.ir.op.quant.QuantMath.ScaleAndZeroPoint;
import dev.octet.quant.LayerSummary.TensorParams;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes the QDQ graph of an {@link Int8Plan} with known activation parameters, in the form agreed with the int8
 * compiler: every quantized tensor t gets {@code QuantizeLinear → DequantizeLinear} right after its producer and
 * every reader reads the DequantizeLinear; a quantized conv reads its weights as an INT8 initializer through a
 * per-axis DequantizeLinear (axis 0) and its bias as an INT32 initializer at scale s_x · s_w[o]; a folded Relu/Clip
 * is left out where the output clamp already implies it. A quantized graph output keeps its name (on the
 * DequantizeLinear); its producer's output is renamed.
 */
final class QdqRewrite {
    private final Graph graph;
    private final Int8Plan plan;
    private final QuantizeOptions options;
    private final Map<String, ScaleAndZeroPoint> params;
    private final Map<String, TensorRange> ranges;
    private final ConvInputMeans means;
    private final Set<String> taken = new HashSet<>();
    private final List<Node> nodes = new ArrayList<>();
    private final Map<String, Tensor> newConstants = new LinkedHashMap<>();
    private final Map<String, String> readAs = new HashMap<>();
    private final Map<String, String> producedAs = new HashMap<>();
    private final List<LayerSummary> layers = new ArrayList<>();

    /**
     * @param ranges the (unified, widened) range behind each quantized tensor's parameters
     * @param means the convs' mean input patches for bias correction, or null for none
     */
    QdqRewrite(Graph graph, Int8Plan plan, QuantizeOptions options, Map<String, ScaleAndZeroPoint> params,
            Map<String, TensorRange> ranges, ConvInputMeans means) {
        this.graph = graph;
        this.plan = plan;
        this.options = options;
        this.params = params;
        this.ranges = ranges;
        this.means = means;
        graph.inputs().forEach(v -> taken.add(v.name()));
        graph.outputs().forEach(v -> taken.add(v.name()));
        taken.addAll(graph.constants().keySet());
        for (Node n : graph.nodes()) {
            taken.addAll(n.outputs());
        }
    }

    Graph rewrite() {
        for (Value v : graph.outputs()) {
            if (plan.quantized().contains(v.name()) && !plan.isGraphInput(v.name())) {
                producedAs.put(v.name(), fresh(v.name() + "_float"));
            }
        }
        for (Value v : graph.inputs()) {
            if (plan.quantized().contains(v.name())) {
                quantizeAfter(v.name(), v.name());
            }
        }
        for (Int8Plan.Decision d : plan.decisions()) {
            switch (d.kind()) {
                case CONV -> conv(d);
                case ADD -> {
                    Node n = d.node();
                    emitWithActivation(d, n.inputs().stream().map(this::read).toList());
                    layers.add(layer(d, true, d.reason(), activationText(d), 0, 0, 0));
                }
                case SHARED, FLOAT -> {
                    Node n = d.node();
                    emit(n, n.inputs().stream().map(this::read).toList(), n.outputs().stream().map(this::produced)
                            .toList());
                    for (String o : n.outputs()) {
                        if (plan.quantized().contains(o)) {
                            quantizeAfter(o, produced(o));
                        }
                    }
                    layers.add(layer(d, d.kind() == Int8Plan.Kind.SHARED, d.reason(), null, 0, 0, 0));
                }
            }
        }
        Map<String, Tensor> constants = new LinkedHashMap<>();
        Set<String> read = new HashSet<>();
        nodes.forEach(n -> read.addAll(n.inputs()));
        graph.outputs().forEach(v -> read.add(v.name()));
        graph.constants().forEach((name, t) -> {
            if (read.contains(name)) {
                constants.put(name, t);
            }
        });
        constants.putAll(newConstants);
        Set<String> values = new HashSet<>();
        nodes.forEach(n -> values.addAll(n.outputs()));
        Map<String, TensorType> types = new LinkedHashMap<>();
        graph.valueTypes().forEach((name, t) -> {
            if (values.contains(name)) {
                types.put(name, t);
            }
        });
        Map<String, Integer> opsets = new LinkedHashMap<>(graph.opsets());
        return new Graph(graph.name(), graph.inputs(), graph.outputs(), nodes, constants, types, opsets);
    }

    List<LayerSummary> layers() {
        return layers;
    }

    private void conv(Int8Plan.Decision d) {
        Node n = d.node();
        String x = n.input(0);
        float inputScale = params.get(x).scale();
        Tensor w = graph.constants().get(n.input(1));
        Tensor bias = n.hasInput(2) ? graph.constants().get(n.input(2)) : null;
        QuantizedWeights qw = QuantizedWeights.of(w, options.weightMax(), options.perChannelWeights(), bias,
                inputScale);
        float[] mean = means == null ? null : means.of(n.outputs().get(0));
        float[] shift = null;
        int group = (int) n.attributes().getInt("group", 1);
        if (options.biasCorrection() && mean != null && w.rank() == 4 && BiasCorrection.correctable(bias)
                && mean.length == w.dim(1) * group * w.dim(2) * w.dim(3)) {
            shift = BiasCorrection.shift(w, qw, mean, group);
            bias = BiasCorrection.corrected(bias, shift);
        }
        QuantizedBias qb = bias == null ? null : QuantizedBias.of(bias, inputScale, qw);
        if (bias != null && qb == null) {
            List<String> in = new ArrayList<>(n.inputs());
            in.set(0, read(x));
            emitWithActivation(d, in);
            layers.add(layer(d, false, "bias overflows int32 at scale s_x*s_w: conv kept float", activationText(d),
                    0, 0, 0));
            return;
        }
        List<String> in = new ArrayList<>();
        in.add(read(x));
        in.add(dequantized(n.input(1), qw.values(), qw.scales(), DataType.INT8));
        if (qb != null) {
            in.add(dequantized(n.hasInput(2) ? n.input(2) : n.outputs().get(0) + "_bias", qb.values(), qb.scales(),
                    DataType.INT32));
        }
        emitWithActivation(d, in);
        float min = Float.POSITIVE_INFINITY;
        float max = 0f;
        for (float s : qw.scales()) {
            min = Math.min(min, s);
            max = Math.max(max, s);
        }
        String reason = qw.raised() == 0 ? d.reason() : "int8; weight scale of " + qw.raised() + " channel(s) raised "
                + "so that the int32 bias fits";
        layers.add(layer(d, true, reason, activationText(d), options.weightBits(), min, max, shift));
    }

    /** Emits a CONV/ADD node (inputs given), its folded activation unless implied, and the output's Q/DQ. */
    private void emitWithActivation(Int8Plan.Decision d, List<String> inputs) {
        Node n = d.node();
        Node act = d.activation();
        if (act == null) {
            emit(n, inputs, List.of(produced(d.output())));
            quantizeAfter(d.output(), produced(d.output()));
            return;
        }
        String y = n.outputs().get(0);
        emit(n, inputs, List.of(y));
        if (implied(act, params.get(d.output()))) {
            quantizeAfter(d.output(), y);
        } else {
            emit(act, act.inputs().stream().map(this::read).toList(), List.of(produced(d.output())));
            quantizeAfter(d.output(), produced(d.output()));
        }
    }

    /**
     * Whether the output QuantizeLinear's saturation already has the activation's effect: Relu where the zero point
     * is the type's minimum; Clip(a, b) where a quantizes to the minimum and b to the maximum.
     */
    private boolean implied(Node act, ScaleAndZeroPoint p) {
        DataType type = options.activationType();
        if (act.opType().equals("Relu")) {
            return p.zeroPoint() == type.minValue();
        }
        float lo = act.hasInput(1) ? (float) graph.constants().get(act.input(1)).getDouble(0) : Float.NEGATIVE_INFINITY;
        float hi = act.hasInput(2) ? (float) graph.constants().get(act.input(2)).getDouble(0) : Float.POSITIVE_INFINITY;
        return QuantMath.quantize(lo, p.scale(), p.zeroPoint(), type) == type.minValue()
                && QuantMath.quantize(hi, p.scale(), p.zeroPoint(), type) == type.maxValue();
    }

    private String activationText(Int8Plan.Decision d) {
        if (d.activation() == null) {
            return null;
        }
        return d.activation().opType() + (implied(d.activation(), params.get(d.output())) ? " folded into the "
                + "output clamp" : " kept before the output QuantizeLinear");
    }

    /** QuantizeLinear(source) → DequantizeLinear for quantized tensor t; t's readers read the latter. */
    private void quantizeAfter(String t, String source) {
        ScaleAndZeroPoint p = params.get(t);
        String scale = constant(t + "_scale", Tensor.ofFloats(new int[0], p.scale()));
        String zeroPoint = constant(t + "_zero_point", Tensor.ofLongs(options.activationType(), new int[0],
                p.zeroPoint()));
        String q = fresh(t + "_quantized");
        String dq = producedAs.containsKey(t) ? t : fresh(t + "_dequantized");
        nodes.add(Node.of(q, "QuantizeLinear", List.of(source, scale, zeroPoint), List.of(q)));
        nodes.add(Node.of(dq, "DequantizeLinear", List.of(q, scale, zeroPoint), List.of(dq)));
        readAs.put(t, dq);
    }

    /** An integer initializer read through DequantizeLinear (per axis 0 where there is a scale per channel). */
    private String dequantized(String base, Tensor values, float[] scales, DataType type) {
        boolean perAxis = scales.length > 1 || options.perChannelWeights();
        int[] shape = perAxis ? new int[] {scales.length} : new int[0];
        String q = constant(base + "_quantized", values);
        String scale = constant(base + "_scale", Tensor.ofFloats(shape, scales.clone()));
        String zeroPoint = constant(base + "_zero_point", Tensor.ofLongs(type, shape, new long[scales.length]));
        String dq = fresh(base + "_dequantized");
        Attributes attrs = perAxis ? Attributes.of(Attribute.of("axis", 0L)) : Attributes.empty();
        nodes.add(new Node(dq, "DequantizeLinear", "", List.of(q, scale, zeroPoint), List.of(dq), attrs));
        return dq;
    }

    private LayerSummary layer(Int8Plan.Decision d, boolean int8, String reason, String activation, int bits,
            float scaleMin, float scaleMax) {
        return layer(d, int8, reason, activation, bits, scaleMin, scaleMax, null);
    }

    private LayerSummary layer(Int8Plan.Decision d, boolean int8, String reason, String activation, int bits,
            float scaleMin, float scaleMax, float[] biasShift) {
        List<TensorParams> inputs = new ArrayList<>();
        for (String in : d.node().inputs()) {
            if (params.containsKey(in)) {
                inputs.add(tensorParams(in));
            }
        }
        String out = d.output() != null ? d.output() : d.node().outputs().stream().filter(params::containsKey)
                .findFirst().orElse(null);
        return new LayerSummary(d.index(), d.node().name(), d.node().opType(), int8, reason, activation, bits,
                scaleMin, scaleMax, inputs, out == null ? null : tensorParams(out), biasShift);
    }

    private TensorParams tensorParams(String t) {
        ScaleAndZeroPoint p = params.get(t);
        TensorRange r = ranges.get(t);
        return new TensorParams(t, p.scale(), p.zeroPoint(), r.min(), r.max());
    }

    private void emit(Node n, List<String> inputs, List<String> outputs) {
        nodes.add(new Node(n.name(), n.opType(), n.domain(), inputs, outputs, n.attributes()));
    }

    private String read(String name) {
        return readAs.getOrDefault(name, name);
    }

    private String produced(String name) {
        return producedAs.getOrDefault(name, name);
    }

    private String constant(String base, Tensor t) {
        String name = fresh(base);
        newConstants.put(name, t);
        return name;
    }

    private String fresh(String base) {
        String name = base;
        for (int i = 1; !taken.add(name); i++) {
            name = base + "_" + i;
        }
        return name;
    }
}
