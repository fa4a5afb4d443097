package dev.octet.tune;

import dev.octet.kernel.Config;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A second look at a tuning result: the default and the best configuration re-measured alternately, in ABBA order
 * (each round a fresh worker process per configuration; libraries come from the cache), so that both see the same
 * machine load.
 * The best of a search is the minimum of many noisy samples and flatters itself; this is the honest comparison.
 *
 * @param baselineSeconds the default's fastest time over the rounds
 * @param bestSeconds the tuned configuration's fastest time over the rounds
 * @param noise the timing noise of the comparison: the median absolute deviation of the per-round ratios best /
 *     default, relative to their median (see {@link #pairedNoise})
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
        // ABBA order: the default goes first in even rounds and second in odd ones, so that whatever favours one
        // place in a pair (a worker's first run, a clock still rising) does not always favour the same side
        List<Candidate> alternating = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            Config first = i % 2 == 0 ? baseline : best;
            alternating.add(Candidate.template(problem, first));
            alternating.add(Candidate.template(problem, first == baseline ? best : baseline));
        }
        List<Measurement> ms = measurer.measure(problem, alternating);
        if (ms.stream().anyMatch(m -> !m.ok())) {
            return null;
        }
        double baseMin = Double.POSITIVE_INFINITY;
        double bestMin = Double.POSITIVE_INFINITY;
        double[] ratios = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            double base = ms.get(2 * i + (i % 2 == 0 ? 0 : 1)).minSeconds();
            double tuned = ms.get(2 * i + (i % 2 == 0 ? 1 : 0)).minSeconds();
            baseMin = Math.min(baseMin, base);
            bestMin = Math.min(bestMin, tuned);
            ratios[i] = tuned / base;
        }
        return new Confirmation(baseMin, bestMin, pairedNoise(ratios), rounds);
    }

    /**
     * The noise of paired measurements: the median absolute deviation of the ratios from their median, relative
     * to the median. Each round times the two configurations back to back, so a load that lasts a round slows
     * both and cancels in the ratio; a spike that hits one measurement moves one ratio, and the median ignores it
     * as long as most rounds are clean. (The spread of the default's own times, used before, let one slow round
     * of three mark a 2× gain as noise on a shared machine.)
     */
    public static double pairedNoise(double[] ratios) {
        double median = median(ratios);
        double[] deviations = new double[ratios.length];
        for (int i = 0; i < ratios.length; i++) {
            deviations[i] = Math.abs(ratios[i] - median);
        }
        return median(deviations) / median;
    }

    /** The median of xs (the mean of the middle two for an even count). */
    static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
