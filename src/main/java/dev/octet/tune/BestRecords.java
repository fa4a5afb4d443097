package dev.octet.tune;

import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The best usable record per workload and target: the smallest minimum time (the run least disturbed by other
 * work on a shared machine; the median breaks ties) among records without error. A record with any error code
 * (wrong answer above all) is never a candidate. Times of different {@link Timing} modes are never compared: where a
 * workload has usable records of both, the best is taken among the flushed ones (the harness's default, and what a
 * layer of a whole model sees) and the warm ones are left out, however fast.
 */
public final class BestRecords {
    private BestRecords() {
    }

    /** Key: workload key + "\n" + target key. */
    static String key(String workload, String target) {
        return workload + "\n" + target;
    }

    public static Map<String, TuningRecord> of(Collection<TuningRecord> records) {
        Map<String, Timing> modes = modes(records);
        Map<String, TuningRecord> best = new LinkedHashMap<>();
        modes.keySet().forEach(k -> best.put(k, null));
        for (TuningRecord r : records) {
            String key = key(r.workload(), r.target());
            if (r.usable() && r.timing() == modes.get(key)) {
                best.merge(key, r, (a, b) -> ORDER.compare(b, a) < 0 ? b : a);
            }
        }
        return best;
    }

    /** The best records, one per workload and target, in first-seen order. */
    public static List<TuningRecord> list(Collection<TuningRecord> records) {
        return List.copyOf(of(records).values());
    }

    /** Per workload and target (first-seen order), the timing modes of its usable records. */
    public static Map<String, Set<Timing>> timings(Collection<TuningRecord> records) {
        Map<String, Set<Timing>> out = new LinkedHashMap<>();
        for (TuningRecord r : records) {
            if (r.usable()) {
                out.computeIfAbsent(key(r.workload(), r.target()), k -> EnumSet.noneOf(Timing.class)).add(r.timing());
            }
        }
        return out;
    }

    /** Per workload and target, the mode its best is chosen in: flushed where it has any, else warm. */
    static Map<String, Timing> modes(Collection<TuningRecord> records) {
        Map<String, Timing> out = new LinkedHashMap<>();
        timings(records).forEach((k, t) -> out.put(k, t.contains(Timing.FLUSHED) ? Timing.FLUSHED : Timing.WARM));
        return out;
    }

    /** Faster first: min, then median. */
    static final Comparator<TuningRecord> ORDER = Comparator.comparingDouble(TuningRecord::minSeconds)
            .thenComparingDouble(TuningRecord::medianSeconds);
}
