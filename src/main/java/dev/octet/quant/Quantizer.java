package dev.octet.quant;

import dev.octet.ir.Graph;
import dev.octet.ir.Names;
import dev.octet.ir.Node;
import dev.octet.ir.op.quant.QuantMath;
import dev.octet.ir.op.quant.QuantMath.ScaleAndZeroPoint;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a simplified fp32 graph ({@code ModelCompiler.simplifyForQuantization}) and calibration ranges into a QDQ
 * graph: standard ONNX (opset 13 or above) that ONNX Runtime runs and fuses into QLinearConv/QLinearAdd, and that
 * Octet's int8 compiler compiles to integer kernels.
 *
 * <ul>
 *   <li>Conv: weights symmetric int8 per output channel (scale max|w_c| / 127, or / 63 with 7-bit weights; see
 *       {@link QuantMath#weightScale} for an all-zero channel); bias int32 at scale s_x · s_w[o] (a bias that does
 *       not fit in int32 keeps the conv float); a Relu or Clip that is the conv's only reader is folded into its
 *       output range and left out where the output clamp implies it.</li>
 *   <li>Activations per tensor (u8 or s8), parameters from the calibration range widened to include 0
 *       ({@link QuantMath#fromRange}).</li>
 *   <li>Add of two tensors: int8 (ONNX Runtime: QLinearAdd). MaxPool, Concat, Resize (nearest), Reshape and Flatten:
 *       int8 where their inputs are, with one scale and zero point for inputs and output (the ranges unified).</li>
 *   <li>Everything else stays float: GlobalAveragePool (its int8 average is not exact), MatMul and Gemm (not yet),
 *       SE blocks' HardSigmoid·Mul, Softmax...</li>
 * </ul>
 */
final class Quantizer {
    private Quantizer() {
    }

    /** The activation tensors that need a calibration range, in graph order (graph inputs included). */
    public static Set<String> calibrationTargets(Graph simplified, QuantizeOptions options) {
        return Collections.unmodifiableSet(new LinkedHashSet<>(new Int8Plan(simplified, options).quantized()));
    }

    /**
     * Quantizes a simplified graph.
     *
     * @param ranges a range for every tensor of {@link #calibrationTargets} (more are ignored)
     * @throws QuantizationException where a target has no range or a range that is not finite, or where the graph
     *     cannot be written in the QDQ form (e.g. a Softmax whose meaning changes at opset 13)
     */
    public static QuantizedModel quantize(Graph simplified, Map<String, TensorRange> ranges, QuantizeOptions options) {
        return quantize(simplified, ranges, options, null);
    }

    /**
     * Quantizes a simplified graph, correcting int8 convs' biases where {@link QuantizeOptions#biasCorrection}.
     *
     * @param means the convs' mean input patches on the calibration images ({@link ConvInputMeans#collect}), or
     *     null for no bias correction
     */
    public static QuantizedModel quantize(Graph simplified, Map<String, TensorRange> ranges, QuantizeOptions options,
            ConvInputMeans means) {
        // First, so that a graph the QDQ form cannot express fails before anything else; it renames no value.
        Graph graph = OpsetUpgrade.toQdqOpset(simplified);
        Int8Plan plan = new Int8Plan(graph, options);
        List<String> notes = new ArrayList<>();
        Map<String, TensorRange> unified = unifiedRanges(plan, ranges, notes);
        Map<String, ScaleAndZeroPoint> params = new LinkedHashMap<>();
        for (String t : plan.quantized()) {
            TensorRange r = unified.get(t);
            ScaleAndZeroPoint p = QuantMath.fromRange(r.min(), r.max(), options.activationType());
            if (!(p.scale() > 0f) || Float.isInfinite(p.scale())) {
                throw new QuantizationException("tensor " + Names.quote(t) + ": range [" + r.min() + ", " + r.max()
                        + "] gives scale " + p.scale() + ", which the QDQ form cannot hold");
            }
            params.put(t, p);
        }
        if (options.biasCorrection() && means == null) {
            notes.add("bias correction asked for but no calibration input means given: biases not corrected");
        }
        QdqRewrite rewrite = new QdqRewrite(graph, plan, options, params, unified, means);
        Graph qdq = rewrite.rewrite();
        return new QuantizedModel(qdq, new QuantizationSummary(options.activationType(), options.weightBits(),
                options.perChannelWeights(), rewrite.layers(), notes));
    }

    /** The Conv nodes the plan quantizes, in graph order (bias correction observes their inputs). */
    static List<Node> int8Convs(Graph simplified, QuantizeOptions options) {
        return new Int8Plan(simplified, options).decisions().stream()
                .filter(d -> d.kind() == Int8Plan.Kind.CONV).map(Int8Plan.Decision::node).toList();
    }

    /** Each target's range, unified over the tensors that share parameters and widened to include 0. */
    private static Map<String, TensorRange> unifiedRanges(Int8Plan plan, Map<String, TensorRange> ranges,
            List<String> notes) {
        Map<String, float[]> byRoot = new HashMap<>();
        for (String t : plan.quantized()) {
            TensorRange r = ranges.get(t);
            if (r == null) {
                throw new QuantizationException("no calibration range for tensor " + Names.quote(t) + " (the "
                        + "quantizer needs one for every tensor of Quantizer.calibrationTargets)");
            }
            if (!Float.isFinite(r.min()) || !Float.isFinite(r.max())) {
                throw new QuantizationException("the calibration range of tensor " + Names.quote(t)
                        + " is not finite: [" + r.min() + ", " + r.max() + "]");
            }
            float[] u = byRoot.computeIfAbsent(plan.root(t), k -> new float[] {0f, 0f});
            u[0] = Math.min(u[0], r.min());
            u[1] = Math.max(u[1], r.max());
        }
        Map<String, TensorRange> unified = new LinkedHashMap<>();
        for (String t : plan.quantized()) {
            float[] u = byRoot.get(plan.root(t));
            if (u[0] == 0f && u[1] == 0f && plan.root(t).equals(t)) {
                notes.add("tensor " + Names.quote(t) + " was always 0 in calibration (range [0, 0]): scale 1");
            }
            unified.put(t, new TensorRange(u[0], u[1]));
        }
        return unified;
    }
}
