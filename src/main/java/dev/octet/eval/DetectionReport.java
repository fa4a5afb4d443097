package dev.octet.eval;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Text detection quality at an IoU threshold.
 *
 * @param pages pages looked at
 * @param trueBoxes lines on them
 * @param detectedBoxes boxes the detector reported
 * @param matched one-to-one matches at IoU ≥ 0.5
 * @param precision matched / detected (Wilson interval)
 * @param recall matched / true (Wilson interval)
 * @param f1 2·matched / (detected + true) (bootstrap over pages)
 * @param seconds wall time of preprocessing, running and post-processing
 * @param twiceMatchedPerPage per page: 2 × matches (the numerator of F1, for paired comparisons)
 * @param boxesPerPage per page: true + detected boxes (the denominator of F1)
 */
public record DetectionReport(int pages, int trueBoxes, int detectedBoxes, int matched,
        ConfidenceInterval precision, ConfidenceInterval recall, ConfidenceInterval f1, double seconds,
        double[] twiceMatchedPerPage, double[] boxesPerPage) implements EvalReport {
    @Override
    public Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pages", pages);
        m.put("true_boxes", trueBoxes);
        m.put("detected_boxes", detectedBoxes);
        m.put("matched", matched);
        m.put("precision", Reports.json(precision));
        m.put("recall", Reports.json(recall));
        m.put("f1", Reports.json(f1));
        m.put("seconds", seconds);
        return m;
    }

    @Override
    public String toString() {
        return String.format("pages       %d (%d lines), %d boxes detected, %d matched at IoU 0.5, %.1f s%n"
                + "precision   %s%nrecall      %s%nF1          %s  (±%.2f points)%n", pages, trueBoxes,
                detectedBoxes, matched, seconds, precision, recall, f1, 100 * f1.halfWidth());
    }
}
