package dev.octet.report;

import dev.octet.eval.AccuracyReport;
import dev.octet.eval.DetectionReport;
import dev.octet.eval.EvalReport;
import dev.octet.eval.RecognitionReport;
import dev.octet.quant.QuantizationReport.EndTaskMetric;
import java.util.List;

/** The end-task metrics of an fp32 and an int8 evaluation on the same samples, in points, for the report. */
public final class EndTaskMetrics {
    private EndTaskMetrics() {
    }

    /** The metrics both reports have (none for an agreement report, which has no fp32 and int8 values). */
    public static List<EndTaskMetric> of(EvalReport fp32, EvalReport int8) {
        if (fp32 instanceof RecognitionReport a && int8 instanceof RecognitionReport b) {
            return List.of(points("character accuracy %", a.characters().estimate(), b.characters().estimate()),
                    points("exact line accuracy %", a.exactLines().estimate(), b.exactLines().estimate()));
        }
        if (fp32 instanceof AccuracyReport a && int8 instanceof AccuracyReport b) {
            return List.of(points("accuracy %", a.accuracy().estimate(), b.accuracy().estimate()));
        }
        if (fp32 instanceof DetectionReport a && int8 instanceof DetectionReport b) {
            return List.of(points("F1 %", a.f1().estimate(), b.f1().estimate()),
                    points("precision %", a.precision().estimate(), b.precision().estimate()),
                    points("recall %", a.recall().estimate(), b.recall().estimate()));
        }
        return List.of();
    }

    private static EndTaskMetric points(String name, double fp32, double int8) {
        return new EndTaskMetric(name, 100 * fp32, 100 * int8);
    }
}
