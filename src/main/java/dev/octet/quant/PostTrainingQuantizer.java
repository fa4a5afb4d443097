package dev.octet.quant;

import dev.octet.CompileOptions;
import dev.octet.build.ModelCompiler;
import dev.octet.ir.Graph;
import java.util.Map;
import java.util.Set;

/**
 * int8 post-training quantization of an fp32 graph, start to end: simplify it the way the quantizer reads graphs
 * ({@link ModelCompiler#simplifyForQuantization}), calibrate the tensors the quantizer will quantize over the
 * images (the fp32 model compiled with taps, {@link Calibrator}), turn each tensor's statistics into a range by the
 * observer, and rewrite the graph in the QDQ form ({@link Quantizer}).
 *
 * @param calibrator progress bar and statistics cache of the calibration run
 * @param observer how a tensor's statistics become its range ({@link CalibrationMethod#observer})
 * @param options what to quantize and how
 * @param compile how the fp32 model is compiled for calibration (threads, backend)
 */
public record PostTrainingQuantizer(Calibrator calibrator, Observer observer, QuantizeOptions options,
        CompileOptions compile) {

    /** Percentile (99.99) ranges, default quantize options, default compile options, a progress bar and a cache. */
    public static PostTrainingQuantizer defaults() {
        return new PostTrainingQuantizer(Calibrator.defaults(), CalibrationMethod.PERCENTILE.observer(),
                QuantizeOptions.defaults(), CompileOptions.defaults());
    }

    public PostTrainingQuantizer withCalibrator(Calibrator c) {
        return new PostTrainingQuantizer(c, observer, options, compile);
    }

    public PostTrainingQuantizer withObserver(Observer o) {
        return new PostTrainingQuantizer(calibrator, o, options, compile);
    }

    public PostTrainingQuantizer withOptions(QuantizeOptions o) {
        return new PostTrainingQuantizer(calibrator, observer, o, compile);
    }

    public PostTrainingQuantizer withCompileOptions(CompileOptions c) {
        return new PostTrainingQuantizer(calibrator, observer, options, c);
    }

    /**
     * The quantized model of an fp32 graph.
     *
     * @throws dev.octet.ir.OctetException where calibration or quantization fails (see {@link Calibrator#collect}
     *     and {@link Quantizer#quantize}), naming the image, tensor or node
     */
    public QuantizedModel quantize(Graph fp32, CalibrationImages images) {
        Graph simplified = ModelCompiler.simplifyForQuantization(fp32);
        Set<String> targets = Quantizer.calibrationTargets(simplified, options);
        Map<String, TensorStatistics> stats = calibrator.collect(simplified, targets, images, compile);
        return Quantizer.quantize(simplified, Calibrator.ranges(stats, observer), options);
    }

    /** Whether a graph is already quantized (QDQ, QLinearConv, ConvInteger...): Octet compiles it as it is. */
    public static boolean isQuantized(Graph g) {
        return g.nodes().stream().anyMatch(n -> n.domain().isEmpty() && switch (n.opType()) {
            case "QuantizeLinear", "QLinearConv", "ConvInteger", "QLinearMatMul", "MatMulInteger" -> true;
            default -> false;
        });
    }
}
