package dev.octet.eval;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How much a candidate (int8, say) loses against a reference (fp32) on the same samples: reference − candidate,
 * in fractions, with a paired bootstrap interval ({@link ConfidenceInterval#bootstrapPairedDifference}). A drop
 * whose interval lies above 0 is real; one whose interval holds 0 is not shown by this many samples.
 *
 * @param metric what was compared ("character_accuracy", "accuracy", "f1")
 * @param drop reference minus candidate, with its 95% interval
 */
public record MetricDrop(String metric, ConfidenceInterval drop) {
    /** Character accuracy lost by {@code candidate}; both reports must come from the same lines. */
    public static MetricDrop recognition(RecognitionReport reference, RecognitionReport candidate) {
        if (!Arrays.equals(reference.lengthPerLine(), candidate.lengthPerLine())) {
            throw new IllegalArgumentException("the two recognition reports are not from the same lines");
        }
        return new MetricDrop("character_accuracy", ConfidenceInterval.bootstrapPairedDifference(
                reference.correctPerLine(), reference.lengthPerLine(), candidate.correctPerLine(),
                candidate.lengthPerLine(), 1));
    }

    /** Orientation accuracy lost; both reports must come from the same lines. */
    public static MetricDrop orientation(AccuracyReport reference, AccuracyReport candidate) {
        if (reference.samples() != candidate.samples()) {
            throw new IllegalArgumentException("the two reports are not from the same lines (" + reference.samples()
                    + " and " + candidate.samples() + ")");
        }
        double[] ones = new double[reference.samples()];
        Arrays.fill(ones, 1);
        return new MetricDrop("accuracy", ConfidenceInterval.bootstrapPairedDifference(reference.rightPerSample(),
                ones, candidate.rightPerSample(), ones, 1));
    }

    /** Detection F1 lost; both reports must come from the same pages. */
    public static MetricDrop detection(DetectionReport reference, DetectionReport candidate) {
        if (reference.pages() != candidate.pages() || reference.trueBoxes() != candidate.trueBoxes()) {
            throw new IllegalArgumentException("the two detection reports are not from the same pages");
        }
        return new MetricDrop("f1", ConfidenceInterval.bootstrapPairedDifference(reference.twiceMatchedPerPage(),
                reference.boxesPerPage(), candidate.twiceMatchedPerPage(), candidate.boxesPerPage(), 1));
    }

    /** The fields for a JSON report: the drop in fractions and its interval. */
    public Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("metric", metric);
        m.put("drop", drop.estimate());
        m.put("ci95", new double[] {drop.low(), drop.high()});
        return m;
    }

    /** "character_accuracy drop +0.40 points [0.1, 0.7]" */
    @Override
    public String toString() {
        return String.format("%s drop %+.2f points [%.2f, %.2f]", metric, 100 * drop.estimate(), 100 * drop.low(),
                100 * drop.high());
    }
}
