package dev.octet.report;

import dev.octet.tune.Timing;
import dev.octet.tune.TuningRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One task's tuning history from a log: each trial's cost (its minimum time; NaN for a failed trial) in log order,
 * and the best verified cost so far after each trial (NaN until the first verified one). A failed candidate (wrong
 * answer, crash, timeout) is a trial that never improves the best. A curve holds the records of one
 * {@link Timing} mode: warm and flushed times are never compared, so a log of both gives a curve for each.
 *
 * @param workload the task's workload key
 * @param target the target it was measured on
 * @param trials the records, in log order
 */
public record TuningCurve(String workload, String target, List<TuningRecord> trials) {
    public TuningCurve {
        trials = List.copyOf(trials);
    }

    /** One curve per workload, target and timing mode, in the order each first appears in the log. */
    public static List<TuningCurve> of(List<TuningRecord> log) {
        Map<String, List<TuningRecord>> byTask = new LinkedHashMap<>();
        for (TuningRecord r : log) {
            byTask.computeIfAbsent(r.workload() + "\n" + r.target() + "\n" + r.timing(), k -> new ArrayList<>())
                    .add(r);
        }
        return byTask.values().stream().map(rs -> new TuningCurve(rs.getFirst().workload(), rs.getFirst().target(),
                rs)).toList();
    }

    /** Each trial's cost in milliseconds (its fastest timed call), NaN where it failed. */
    public double[] trialMs() {
        return trials.stream().mapToDouble(r -> r.usable() ? r.minSeconds() * 1e3 : Double.NaN).toArray();
    }

    /** The best verified cost after each trial, in milliseconds: non-increasing once defined, NaN before. */
    public double[] bestSoFarMs() {
        double[] cost = trialMs();
        double[] best = new double[cost.length];
        double b = Double.NaN;
        for (int i = 0; i < cost.length; i++) {
            if (!Double.isNaN(cost[i]) && (Double.isNaN(b) || cost[i] < b)) {
                b = cost[i];
            }
            best[i] = b;
        }
        return best;
    }

    /** The fastest verified record, or null where every trial failed. */
    public TuningRecord best() {
        TuningRecord best = null;
        for (TuningRecord r : trials) {
            if (r.usable() && (best == null || r.minSeconds() < best.minSeconds())) {
                best = r;
            }
        }
        return best;
    }

    /** How this curve's trials were timed (all of them alike). */
    public Timing timing() {
        return trials.getFirst().timing();
    }

    public long failed() {
        return trials.stream().filter(r -> !r.usable()).count();
    }
}
