package dev.octet.quant;

import dev.octet.CompileOptions;
import dev.octet.build.ModelCompiler;
import dev.octet.ir.Graph;
import dev.octet.ir.OctetException;
import dev.octet.ir.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * int8 post-training quantization of an fp32 graph, start to end: simplify it the way the quantizer reads graphs
 * ({@link ModelCompiler#simplifyForQuantization}), calibrate the tensors the quantizer will quantize over the
 * images (the fp32 model compiled with taps, {@link Calibrator}), turn each tensor's statistics into a range by the
 * observer, and rewrite the graph in the QDQ form ({@link Quantizer}); optionally correct conv biases
 * ({@link QuantizeOptions#biasCorrection}, one more fp32 pass over the calibration images) and return the most
 * sensitive layers to float until a budget holds ({@link FloatFallback}).
 *
 * @param calibrator progress bar and statistics cache of the calibration run
 * @param observer how a tensor's statistics become its range ({@link CalibrationMethod#observer})
 * @param options what to quantize and how
 * @param compile how the fp32 model is compiled for calibration (threads, backend)
 * @param fallback the automatic float fallback, or null for none
 */
public record PostTrainingQuantizer(Calibrator calibrator, Observer observer, QuantizeOptions options,
        CompileOptions compile, FloatFallback fallback) {

    /** Percentile (99.99) ranges, default quantize options with bias correction, default compile options, no float
     * fallback, a progress bar and a cache. */
    public static PostTrainingQuantizer defaults() {
        return new PostTrainingQuantizer(Calibrator.defaults(), CalibrationMethod.PERCENTILE.observer(),
                QuantizeOptions.defaults().withBiasCorrection(true), CompileOptions.defaults(), null);
    }

    /** The same, collecting activation statistics with {@code c}. */
    public PostTrainingQuantizer withCalibrator(Calibrator c) {
        return new PostTrainingQuantizer(c, observer, options, compile, fallback);
    }

    /**
     * The same with another calibration method ({@link CalibrationMethod#observer}, or an observer with its own
     * parameters).
     */
    public PostTrainingQuantizer withObserver(Observer o) {
        return new PostTrainingQuantizer(calibrator, o, options, compile, fallback);
    }

    /** The same with other quantization options (activation type, per-channel weights, ...). */
    public PostTrainingQuantizer withOptions(QuantizeOptions o) {
        return new PostTrainingQuantizer(calibrator, observer, o, compile, fallback);
    }

    /** The same, running calibration on a model compiled with {@code c}. */
    public PostTrainingQuantizer withCompileOptions(CompileOptions c) {
        return new PostTrainingQuantizer(calibrator, observer, options, c, fallback);
    }

    /** The same with automatic float fallback (null: none). */
    public PostTrainingQuantizer withFallback(FloatFallback f) {
        return new PostTrainingQuantizer(calibrator, observer, options, compile, f);
    }

    /**
     * The quantized model of an fp32 graph. With a fallback, the last {@link FloatFallback#heldOutImages} images
     * are held out for it and the others calibrated on (there must be more images than that).
     *
     * @throws dev.octet.ir.OctetException where calibration or quantization fails (see {@link Calibrator#collect}
     *     and {@link Quantizer#quantize}), naming the image, tensor or node
     */
    public QuantizedModel quantize(Graph fp32, CalibrationImages images) {
        if (fallback == null) {
            return quantize(fp32, images, null);
        }
        int held = fallback.heldOutImages();
        if (images.size() <= held) {
            throw new OctetException("fallback holds out " + held + " calibration image(s) for its budget, but there"
                    + " are only " + images.size() + ": give more images");
        }
        return quantize(fp32, images.subset(0, images.size() - held), images.subset(images.size() - held,
                images.size()));
    }

    /**
     * The quantized model of an fp32 graph, calibrated on {@code images}, with the fallback's budget measured on
     * {@code heldOut} (which should be disjoint from {@code images}; ignored without a fallback).
     */
    public QuantizedModel quantize(Graph fp32, CalibrationImages images, CalibrationImages heldOut) {
        Graph simplified = ModelCompiler.simplifyForQuantization(fp32);
        Set<String> targets = Quantizer.calibrationTargets(simplified, options);
        Map<String, TensorStatistics> stats = calibrator.collect(simplified, targets, images, compile);
        Map<String, TensorRange> ranges = Calibrator.ranges(stats, observer);
        ConvInputMeans means = options.biasCorrection() ? ConvInputMeans.collect(simplified,
                Quantizer.int8Convs(simplified, options), images, compile) : null;
        if (fallback == null || heldOut == null) {
            return Quantizer.quantize(simplified, ranges, options, means);
        }
        List<Map<String, Tensor>> inputs = new ArrayList<>();
        String input = simplified.inputs().getFirst().name();
        for (int i = 0; i < heldOut.size(); i++) {
            inputs.add(Map.of(input, heldOut.tensor(i)));
        }
        FallbackResult r = fallback.run(simplified, inputs, options,
                o -> Quantizer.quantize(simplified, ranges, o, means), compile);
        return r.annotated();
    }

    /** Whether a graph is already quantized (QDQ, QLinearConv, ConvInteger...): Octet compiles it as it is. */
    public static boolean isQuantized(Graph g) {
        return g.nodes().stream().anyMatch(n -> n.domain().isEmpty() && switch (n.opType()) {
            case "QuantizeLinear", "QLinearConv", "ConvInteger", "QLinearMatMul", "MatMulInteger" -> true;
            default -> false;
        });
    }
}
