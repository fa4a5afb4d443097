package dev.octet.tune;

import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The best usable record per workload and target: the smallest minimum time (the run least disturbed by other
 * work on a shared machine; the median breaks ties) among records without error. A record
 * with any error code (wrong answer above all) is never a candidate.
 */
public final class BestRecords {
    private BestRecords() {
    }

    /** Key: workload key + "\n" + target key. */
    static String key(String workload, String target) {
        return workload + "\n" + target;
    }

    public static Map<String, TuningRecord> of(Collection<TuningRecord> records) {
        Map<String, TuningRecord> best = new LinkedHashMap<>();
        for (TuningRecord r : records) {
            if (!r.usable()) {
                continue;
            }
            best.merge(key(r.workload(), r.target()), r, (a, b) -> ORDER.compare(b, a) < 0 ? b : a);
        }
        return best;
    }

    /** The best records, one per workload and target, in first-seen order. */
    public static List<TuningRecord> list(Collection<TuningRecord> records) {
        return List.copyOf(of(records).values());
    }

    /** Faster first: min, then median. */
    static final Comparator<TuningRecord> ORDER = Comparator.comparingDouble(TuningRecord::minSeconds)
            .thenComparingDouble(TuningRecord::medianSeconds);
}
