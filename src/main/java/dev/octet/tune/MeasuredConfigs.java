package dev.octet.tune;

import dev.octet.kernel.Config;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a search tuner (genetic, cost model) knows of its own task: every configuration measured or proposed, so that
 * none is proposed twice, and the best measured cost of each measured one in seconds, infinite where it failed or
 * answered wrong so that it ranks last. The log's records and this session's measurements count alike. The costs
 * keep their first-measured order, so that a model fitted on them is reproducible.
 */
final class MeasuredConfigs {
    private final Set<Config> seen = new HashSet<>();
    private final Map<Config, Double> costs = new LinkedHashMap<>();

    /** @param mine this task's records on this target (from the log) */
    MeasuredConfigs(List<TuningRecord> mine) {
        for (TuningRecord r : mine) {
            add(r.config(), cost(r));
        }
    }

    void update(List<Measurement> measured) {
        for (Measurement m : measured) {
            add(m.config(), m.ok() && Double.isFinite(m.minSeconds()) ? m.minSeconds() : Double.POSITIVE_INFINITY);
        }
    }

    /** Measured or proposed configurations; a tuner adds what it proposes. */
    Set<Config> seen() {
        return seen;
    }

    /** The best cost of each measured configuration, in the order first measured. */
    Map<Config, Double> costs() {
        return costs;
    }

    /** A record's cost: its fastest call where usable, else infinite. */
    static double cost(TuningRecord r) {
        return r.usable() ? r.minSeconds() : Double.POSITIVE_INFINITY;
    }

    private void add(Config c, double cost) {
        seen.add(c);
        costs.merge(c, cost, Math::min);
    }
}
