package dev.octet.quant;

import dev.octet.CompileOptions;
import dev.octet.build.ModelCompiler;
import dev.octet.ir.DataType;
import dev.octet.ir.Graph;
import dev.octet.ir.Node;
import dev.octet.ir.OctetException;
import dev.octet.ir.Tensor;
import dev.octet.ir.op.quant.QuantMath;
import dev.octet.ir.op.quant.QuantMath.ScaleAndZeroPoint;
import dev.octet.quant.LayerSummary.TensorParams;
import dev.octet.runtime.CompiledModel;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Measures each quantized tensor's error ({@link TensorError}: SQNR and cosine) by running the fp32 model and the
 * int8 model, both compiled as Octet compiles them, on the same inputs and comparing the tensors by name.
 *
 * <p>In the QDQ graph ({@code QdqRewrite}) a quantized tensor t is written {@code QuantizeLinear(t) → t_quantized}
 * (the producer's output keeps the name t, except for a graph output, whose producer writes {@code t_float} and
 * whose DequantizeLinear writes t; and where t is a Relu/Clip's output that the output clamp implies, the Relu/Clip
 * is left out and the QuantizeLinear reads its input). The int8 compiler fuses each Conv/Add/MaxPool... group into
 * one integer step whose output is the QuantizeLinear's, so the tap is that integer tensor, dequantized here with
 * the scale and zero point of that QuantizeLinear (QuantMath): the error of exactly the integers the int8 kernels
 * computed, with no fusion undone.
 */
public final class LayerErrors {
    private LayerErrors() {
    }

    /**
     * What {@link #measure} found.
     *
     * @param tensors the error of every quantized tensor that the int8 model computes on its own, keyed by the
     *     fp32 name, in the summary's order
     * @param outputs the error of each float graph output (the end-to-end agreement), in the graph's order
     */
    public record Measured(Map<String, TensorError> tensors, Map<String, TensorError> outputs) {
    }

    /**
     * The error of every quantized tensor of the summary and of every float graph output.
     *
     * @param fp32 the simplified fp32 graph the model was quantized from ({@code simplifyForQuantization})
     * @param inputs one map of graph inputs per image
     * @throws OctetException where no input is given
     */
    public static Measured measure(Graph fp32, QuantizedModel quantized,
            List<Map<String, Tensor>> inputs, CompileOptions options) {
        if (inputs.isEmpty()) {
            throw new OctetException("measuring the quantization error needs at least one input");
        }
        Map<String, TensorParams> params = quantizedTensors(quantized.summary());
        Map<String, String> taps = int8Taps(fp32, quantized.qdq(), params.keySet());
        Map<String, ScaleAndZeroPoint> tapParams = new HashMap<>();
        taps.forEach((t, tap) -> tapParams.put(t, quantizeParameters(quantized.qdq(), tap, params.get(t))));
        Map<String, String> fp32ByTap = new HashMap<>();
        taps.forEach((t, tap) -> fp32ByTap.put(tap, t));
        Map<String, ErrorMeter> meters = new LinkedHashMap<>();
        taps.keySet().forEach(t -> meters.put(t, new ErrorMeter(t)));
        Map<String, ErrorMeter> outputMeters = new LinkedHashMap<>();
        try (CompiledModel f = ModelCompiler.compile(fp32, options.withKeptValues(union(options, taps.keySet())));
                CompiledModel q = ModelCompiler.compile(quantized.qdq(),
                        options.withKeptValues(union(options, taps.values())))) {
            for (Map<String, Tensor> in : inputs) {
                Map<String, float[]> reference = new HashMap<>();
                Map<String, float[]> referenceOutputs = new LinkedHashMap<>();
                f.runTapped(in, taps.keySet(), (name, t) -> reference.put(name, floats(name, t).clone()))
                        .forEach((name, t) -> {
                            if (t.dtype() == DataType.FLOAT) {
                                referenceOutputs.put(name, t.floats().clone()); // its buffer serves the next run
                            }
                        });
                Map<String, Tensor> out = q.runTapped(in, Set.copyOf(taps.values()), (tap, t) -> {
                    String name = fp32ByTap.get(tap);
                    float[] ref = reference.get(name);
                    if (ref != null) {
                        meters.get(name).add(ref, dequantized(t, tapParams.get(name)));
                    }
                });
                referenceOutputs.forEach((name, ref) -> {
                    Tensor t = out.get(name);
                    if (t != null && t.dtype() == DataType.FLOAT) {
                        outputMeters.computeIfAbsent(name, ErrorMeter::new).add(ref, t.floats());
                    }
                });
            }
        }
        Map<String, TensorError> errors = new LinkedHashMap<>();
        meters.forEach((t, m) -> {
            TensorError e = m.result();
            if (e.count() > 0) { // never computed on its own by one of the models: not measured
                errors.put(t, e);
            }
        });
        Map<String, TensorError> outputs = new LinkedHashMap<>();
        outputMeters.forEach((t, m) -> outputs.put(t, m.result()));
        return new Measured(errors, outputs);
    }

    /** Every quantized tensor of the summary (inputs and outputs of its layers) with its parameters. */
    static Map<String, TensorParams> quantizedTensors(QuantizationSummary summary) {
        Map<String, TensorParams> params = new LinkedHashMap<>();
        for (LayerSummary l : summary.layers()) {
            l.inputs().forEach(p -> params.putIfAbsent(p.tensor(), p));
            if (l.output() != null) {
                params.putIfAbsent(l.output().tensor(), l.output());
            }
        }
        return params;
    }

    /**
     * For each quantized tensor (fp32 name) that the QDQ graph quantizes, the name of its QuantizeLinear's output:
     * for a graph output t, the one behind the DequantizeLinear that writes t; else the QuantizeLinear reading t;
     * else, where t is the output of a Relu/Clip of the fp32 graph that the QDQ graph left out, the one reading
     * that activation's input (which no other node reads: the activation was folded because it was the only one).
     */
    static Map<String, String> int8Taps(Graph fp32, Graph qdq, Set<String> tensors) {
        Map<String, Node> fp32Producers = new HashMap<>();
        for (Node n : fp32.nodes()) {
            n.outputs().forEach(o -> fp32Producers.put(o, n));
        }
        Map<String, Node> quantizeByInput = new HashMap<>();
        Map<String, Node> producers = new HashMap<>();
        for (Node n : qdq.nodes()) {
            n.outputs().forEach(o -> producers.put(o, n));
            if (n.domain().isEmpty() && n.opType().equals("QuantizeLinear")) {
                quantizeByInput.put(n.input(0), n);
            }
        }
        Map<String, String> taps = new LinkedHashMap<>();
        for (String t : tensors) {
            Node q = null;
            Node dq = producers.get(t);
            if (dq != null && dq.domain().isEmpty() && dq.opType().equals("DequantizeLinear")) {
                Node behind = producers.get(dq.input(0));
                q = behind != null && behind.opType().equals("QuantizeLinear") ? behind : null;
            }
            q = q != null ? q : quantizeByInput.get(t);
            Node act = fp32Producers.get(t);
            if (q == null && act != null && act.domain().isEmpty()
                    && (act.opType().equals("Relu") || act.opType().equals("Clip"))) {
                q = quantizeByInput.get(act.input(0));
            }
            if (q != null) {
                taps.put(t, q.outputs().get(0));
            }
        }
        return taps;
    }

    /**
     * The scale and zero point of the QuantizeLinear writing {@code tap}, read from the QDQ graph's constants (what
     * the int8 model computes with, even where the graph was changed after the summary was made), or the summary's
     * where they are not constants.
     */
    static ScaleAndZeroPoint quantizeParameters(Graph qdq, String tap, TensorParams summary) {
        for (Node n : qdq.nodes()) {
            if (n.outputs().contains(tap) && n.opType().equals("QuantizeLinear") && n.hasInput(2)) {
                Tensor scale = qdq.constants().get(n.input(1));
                Tensor zeroPoint = qdq.constants().get(n.input(2));
                if (scale != null && zeroPoint != null && scale.size() == 1 && zeroPoint.size() == 1) {
                    return new ScaleAndZeroPoint((float) scale.getDouble(0), zeroPoint.getLong(0));
                }
            }
        }
        return new ScaleAndZeroPoint(summary.scale(), summary.zeroPoint());
    }

    private static float[] dequantized(Tensor t, ScaleAndZeroPoint p) {
        if (t.dtype() == DataType.FLOAT) {
            return t.floats();
        }
        long[] q = t.toLongs();
        float[] x = new float[q.length];
        for (int i = 0; i < q.length; i++) {
            x[i] = QuantMath.dequantize(q[i], p.zeroPoint(), p.scale());
        }
        return x;
    }

    private static float[] floats(String name, Tensor t) {
        if (t.dtype() != DataType.FLOAT) {
            throw new OctetException("tensor '" + name + "' of the fp32 model is " + t.dtype() + ", not FLOAT");
        }
        return t.floats();
    }

    private static Set<String> union(CompileOptions options, java.util.Collection<String> names) {
        Set<String> all = new HashSet<>(options.keptValues());
        all.addAll(names);
        return all;
    }
}
