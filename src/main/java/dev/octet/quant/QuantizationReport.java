package dev.octet.quant;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.octet.build.ModelCompiler;
import dev.octet.ir.DataType;
import dev.octet.ir.Graph;
import dev.octet.ir.Tensor;
import dev.octet.quant.LayerSummary.TensorParams;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How good a quantization is, layer by layer: the quantizer's choices (scales, zero points, clipping ranges, weight
 * bits, float layers and why) next to the calibration statistics (observed extremes, histograms) and the measured
 * error of each quantized output against fp32 ({@link LayerErrors}). Written as JSON ({@link #toJson}) and as an
 * HTML page ({@code dev.octet.report.ReportPage}).
 *
 * @param model the model's name
 * @param activationType u8 or s8 activations
 * @param weightBits 8, or 7 (every weight pair fits AVX2's vpmaddubsw)
 * @param perChannelWeights one weight scale per output channel (else per tensor)
 * @param notes the quantizer's notes on the whole model
 * @param calibration how it was calibrated (images, method), or null
 * @param measuredImages how many images the errors were measured on
 * @param layers one per layer of the summary, in graph order
 * @param inputs the error of quantizing each quantized graph input
 * @param outputs the error of each float graph output of the int8 model (end to end)
 * @param histograms activation histograms of the worst measured layers (lowest SQNR first)
 * @param metrics end-task metrics a caller measured (e.g. character accuracy), possibly none
 */
public record QuantizationReport(String model, DataType activationType, int weightBits, boolean perChannelWeights,
        List<String> notes, String calibration, int measuredImages, List<LayerReport> layers,
        List<TensorError> inputs, List<TensorError> outputs, List<ActivationHistogram> histograms,
        List<EndTaskMetric> metrics) {
    /** Histograms the report keeps by default: the worst layers only, to keep the page small. */
    public static final int DEFAULT_HISTOGRAMS = 6;
    /** Bins of each histogram plot. */
    public static final int HISTOGRAM_BINS = 96;

    public QuantizationReport {
        notes = List.copyOf(notes);
        layers = List.copyOf(layers);
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        histograms = List.copyOf(histograms);
        metrics = List.copyOf(metrics);
    }

    /** An end-task metric of the fp32 and the int8 model (e.g. "character accuracy %", 93.1, 92.8). */
    public record EndTaskMetric(String name, double fp32, double int8) {
        public double drop() {
            return fp32 - int8;
        }
    }

    /**
     * Measures a quantized model: calibration statistics from the quantizer's calibrator (its cache, where it
     * has one, holds those of the quantization run), errors on the first {@code imageCount} of the calibration
     * images (for errors on held-out images, measure them with {@link LayerErrors#measure} and use {@link #of}).
     *
     * @param model the model's name for the page (e.g. its file name)
     * @param fp32 the fp32 graph as given to {@link PostTrainingQuantizer#quantize}
     * @param quantized its result
     * @param calibration how it was calibrated, for the page, or null
     */
    public static QuantizationReport measure(String model, Graph fp32, QuantizedModel quantized,
            PostTrainingQuantizer quantizer, CalibrationImages images, int imageCount, String calibration) {
        Graph simplified = ModelCompiler.simplifyForQuantization(fp32);
        Set<String> targets = Quantizer.calibrationTargets(simplified, quantizer.options());
        Map<String, TensorStatistics> stats = quantizer.calibrator().collect(simplified, targets, images,
                quantizer.compile());
        CalibrationImages measured = images.first(Math.max(1, imageCount));
        String input = simplified.inputs().getFirst().name();
        List<Map<String, Tensor>> inputs = new ArrayList<>();
        for (int i = 0; i < measured.size(); i++) {
            inputs.add(Map.of(input, measured.tensor(i)));
        }
        LayerErrors.Measured errors = LayerErrors.measure(simplified, quantized, inputs, quantizer.compile());
        return of(model, quantized.summary(), stats, errors, inputs.size(), DEFAULT_HISTOGRAMS, calibration);
    }

    /**
     * Puts the pieces together.
     *
     * @param stats calibration statistics by tensor (tensors without are reported without observed values)
     * @param measured measured errors ({@link LayerErrors#measure}): each layer with a quantized output gets its
     *     output's (a float layer too: its output is quantized for an int8 reader)
     * @param histograms how many of the worst layers get a histogram
     */
    public static QuantizationReport of(String model, QuantizationSummary summary,
            Map<String, TensorStatistics> stats, LayerErrors.Measured measured, int measuredImages,
            int histograms, String calibration) {
        Map<String, TensorError> errors = measured.tensors();
        List<LayerReport> layers = new ArrayList<>();
        for (LayerSummary l : summary.layers()) {
            TensorParams out = l.output();
            TensorStatistics s = out == null ? null : stats.get(out.tensor());
            TensorError e = out == null ? null : errors.get(out.tensor());
            layers.add(s == null ? new LayerReport(l, null, null, null, e) : new LayerReport(l, s.min(), s.max(),
                    ActivationHistogram.clippedFraction(s, range(out)), e));
        }
        List<TensorError> inputs = new ArrayList<>();
        summary.layers().stream().flatMap(l -> l.inputs().stream()).map(TensorParams::tensor).distinct()
                .filter(t -> summary.layers().stream().noneMatch(l -> l.output() != null
                        && l.output().tensor().equals(t)))
                .map(errors::get).filter(e -> e != null).forEach(inputs::add);
        List<ActivationHistogram> plots = worst(layers, histograms).stream()
                .filter(l -> stats.containsKey(l.output().tensor()))
                .map(l -> ActivationHistogram.of(stats.get(l.output().tensor()), range(l.output()), HISTOGRAM_BINS))
                .toList();
        return new QuantizationReport(model, summary.activationType(), summary.weightBits(),
                summary.perChannelWeights(), summary.notes(), calibration, measuredImages, layers, inputs,
                List.copyOf(measured.outputs().values()), plots, List.of());
    }

    /** The same report with end-task metrics. */
    public QuantizationReport withMetrics(List<EndTaskMetric> m) {
        return new QuantizationReport(model, activationType, weightBits, perChannelWeights, notes, calibration,
                measuredImages, layers, inputs, outputs, histograms, m);
    }

    /** The {@code n} measured layers with the lowest SQNR, worst first. */
    public List<LayerReport> worst(int n) {
        return worst(layers, n);
    }

    private static List<LayerReport> worst(List<LayerReport> layers, int n) {
        return layers.stream().filter(l -> l.error() != null)
                .sorted(Comparator.comparingDouble(LayerReport::sqnrOrNaN)).limit(n).toList();
    }

    private static TensorRange range(TensorParams p) {
        return new TensorRange(p.min(), p.max());
    }

    /**
     * A report from its {@link #toJson} (e.g. the copy a bundle stores for {@code octet report}).
     *
     * @param source names the JSON in the message
     * @throws dev.octet.ir.OctetException where it is not a report's JSON
     */
    public static QuantizationReport fromJson(String json, String source) {
        try {
            return new ObjectMapper().readValue(json, QuantizationReport.class);
        } catch (JsonProcessingException e) {
            throw new dev.octet.ir.OctetException(source + ": not a valid quantization report ("
                    + e.getOriginalMessage().lines().findFirst().orElse("") + ")");
        }
    }

    /** The report as JSON (Jackson); infinite SQNR (an exact layer) is written as the string "Infinity". */
    public String toJson() {
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("report is not serializable", e);
        }
    }
}
