package dev.octet.tune;

import dev.octet.kernel.Config;
import java.util.ArrayList;
import java.util.List;

/**
 * A second look at a tuning result: the default and the best configuration re-measured alternately (each round a
 * fresh worker process per configuration; libraries come from the cache), so that both see the same machine load.
 * The best of a search is the minimum of many noisy samples and flatters itself; this is the honest comparison.
 *
 * @param baselineSeconds the default's fastest time over the rounds
 * @param bestSeconds the tuned configuration's fastest time over the rounds
 * @param noise the spread of the default's per-round times, (max − min) / min: the timing noise
 */
public record Confirmation(double baselineSeconds, double bestSeconds, double noise, int rounds) {
    public double speedup() {
        return baselineSeconds / bestSeconds;
    }

    /** Whether the gain is larger than three times the measured noise. */
    public boolean significant() {
        return speedup() - 1 > 3 * noise;
    }

    /** Null where either configuration fails (it did not fail before: something changed). */
    public static Confirmation of(Measurer measurer, Problem problem, Config baseline, Config best, int rounds) {
        List<Candidate> alternating = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            alternating.add(Candidate.template(problem, baseline));
            alternating.add(Candidate.template(problem, best));
        }
        List<Measurement> ms = measurer.measure(problem, alternating);
        if (ms.stream().anyMatch(m -> !m.ok())) {
            return null;
        }
        double baseMin = Double.POSITIVE_INFINITY;
        double baseMax = 0;
        double bestMin = Double.POSITIVE_INFINITY;
        for (int i = 0; i < ms.size(); i += 2) {
            baseMin = Math.min(baseMin, ms.get(i).minSeconds());
            baseMax = Math.max(baseMax, ms.get(i).minSeconds());
            bestMin = Math.min(bestMin, ms.get(i + 1).minSeconds());
        }
        return new Confirmation(baseMin, bestMin, (baseMax - baseMin) / baseMin, rounds);
    }
}
