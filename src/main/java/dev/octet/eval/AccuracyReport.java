package dev.octet.eval;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A classifier's accuracy on labelled samples.
 *
 * @param samples samples classified
 * @param accuracy fraction right, with its Wilson interval
 * @param seconds wall time of preprocessing and running
 * @param rightPerSample per sample: 1 where it was classified right, else 0 (for paired comparisons)
 */
public record AccuracyReport(int samples, ConfidenceInterval accuracy, double seconds, double[] rightPerSample)
        implements EvalReport {
    @Override
    public Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("samples", samples);
        m.put("accuracy", Reports.json(accuracy));
        m.put("seconds", seconds);
        return m;
    }

    @Override
    public String toString() {
        return String.format("samples     %d, %.1f s%naccuracy    %s  (±%.2f points)%n", samples, seconds, accuracy,
                100 * accuracy.halfWidth());
    }
}
