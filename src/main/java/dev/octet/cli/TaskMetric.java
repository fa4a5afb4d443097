package dev.octet.cli;

import dev.octet.data.CtcDecoder;
import dev.octet.data.DbPostProcess;
import dev.octet.data.LabelledLine;
import dev.octet.data.LabelledPage;
import dev.octet.data.Split;
import dev.octet.eval.DetectionEvaluator;
import dev.octet.eval.ModelRunner;
import dev.octet.eval.OrientationEvaluator;
import dev.octet.eval.RecognitionEvaluator;
import dev.octet.ir.Model;
import dev.octet.ir.OctetException;
import dev.octet.quant.FallbackBudget;
import dev.octet.runtime.CompiledModel;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * An eval task's own end-task metric, in points (percent), on rendered samples of the {@link Split#FALLBACK} split:
 * disjoint from the images calibrated on and from the evaluation set, so the layers the fallback returns to float
 * are not chosen on the data that then measures the drop. This is what {@code --max-drop} budgets.
 *
 * @param name the metric and its data in words, e.g. "character accuracy (points) on 100 held-out lines"
 * @param points the metric of a compiled model, in points
 */
record TaskMetric(String name, ToDoubleFunction<CompiledModel> points) {
    /** Held-out samples by default: about 1,400 characters (rec), 200 lines (cls), 20 pages of ~10 lines (det). */
    static int defaultSamples(EvalTask task) {
        return switch (task) {
            case REC -> 100;
            case CLS -> 200;
            case DET -> 20;
            default -> 0;
        };
    }

    /** What {@code --help} says of the metric of each task. */
    static final String DESCRIPTION = "ocr-rec: character accuracy; ocr-cls: accuracy; ocr-det: F1 at IoU 0.5";

    /**
     * The metric of a rendered task on {@code samples} held-out samples (rendered once, here).
     *
     * @param detLimit ocr-det: bound on the input's longer side, as the evaluation uses
     *
     * @throws OctetException where the task has no labelled data (blazeface, mlsd) or {@code samples} < 1
     */
    static TaskMetric of(EvalTask task, EvalData data, Model model, int samples, int detLimit) {
        if (!task.rendered()) {
            throw new OctetException("--max-drop needs an end-task metric, and " + task.label + " has none (no "
                    + "labels); use --min-cosine");
        }
        if (samples < 1) {
            throw new OctetException("--fallback-samples must be >= 1, not " + samples);
        }
        return switch (task) {
            case REC -> {
                RecognitionEvaluator ev = new RecognitionEvaluator(new CtcDecoder(data.dictionary(model)));
                List<LabelledLine> lines = data.lines(model, Split.FALLBACK, samples);
                yield new TaskMetric("character accuracy (points) on " + samples + " held-out lines",
                        c -> 100 * ev.evaluate(ModelRunner.of(c), lines).characters().estimate());
            }
            case CLS -> {
                List<LabelledLine> lines = data.orientedLines(model, Split.FALLBACK, samples);
                yield new TaskMetric("accuracy (points) on " + samples + " held-out lines",
                        c -> 100 * new OrientationEvaluator().evaluate(ModelRunner.of(c), lines).accuracy()
                                .estimate());
            }
            case DET -> {
                DetectionEvaluator ev = new DetectionEvaluator(detLimit, DbPostProcess.paddleDefaults());
                List<LabelledPage> pages = data.pages(model, Split.FALLBACK, samples);
                yield new TaskMetric("F1 (points) on " + samples + " held-out pages",
                        c -> 100 * ev.evaluate(ModelRunner.of(c), pages).f1().estimate());
            }
            default -> throw new IllegalStateException(task.label);
        };
    }

    /** The fallback budget: this metric may drop from fp32's by at most {@code maxDrop} points. */
    FallbackBudget budget(double maxDrop) {
        return FallbackBudget.maxDrop(name, points, maxDrop);
    }
}
