package dev.octet.tune;

import dev.octet.kernel.Config;

/**
 * A log line of its own kind: a {@link Confirmation} of one workload's tuning result, the default and the best
 * configuration re-measured alternately. A build applies a best configuration only where the latest confirmation of
 * exactly that configuration found a gain larger than three times the noise ({@link TunedConfigs}); the minimum of
 * a search's many samples flatters itself, and on int8 ResNet-50 applying unconfirmed bests made the model slower.
 *
 * @param workload the workload key
 * @param target {@link Target#key()}
 * @param timing how both were timed
 * @param baseline the default configuration
 * @param best the tuned configuration confirmed (or not)
 * @param baselineSeconds the default's fastest time over the rounds (NaN where it FAILED); {@link Timing#MODEL}:
 *     the median over the rounds of its steps' summed times in the model
 * @param bestSeconds the best's fastest time over the rounds (NaN where it FAILED); model timing as above
 * @param noise the timing noise of the paired rounds, {@link Confirmation#pairedNoise} (NaN where it FAILED)
 * @param rounds measurements of each configuration
 * @param verdict what the confirmation found
 * @param timestamp seconds since the epoch
 */
public record ConfirmationRecord(String workload, String target, Timing timing, Config baseline, Config best,
        double baselineSeconds, double bestSeconds, double noise, int rounds, Verdict verdict, double timestamp,
        String octetVersion, String ccVersion) {
    /** What a confirmation found. */
    public enum Verdict {
        /** The gain is larger than three times the noise: a build applies the best. */
        SIGNIFICANT,
        /** No gain beyond the noise: a build keeps the default. */
        WITHIN_NOISE,
        /** A configuration failed on re-measurement (it did not before): a build keeps the default. */
        FAILED;

        /** As a log spells it. */
        public String key() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        static Verdict parse(String key) {
            return valueOf(key.toUpperCase(java.util.Locale.ROOT));
        }
    }

    /**
     * The record of confirming {@code best} against {@code baseline} for a task.
     *
     * @param c the confirmation, or null where a configuration failed on re-measurement
     */
    public static ConfirmationRecord of(TuningTask task, Config baseline, Config best, Confirmation c, int rounds,
            Timing timing, String ccVersion) {
        return of(task.key(), task.target().key(), baseline, best, c, rounds, timing, ccVersion);
    }

    /** As {@link #of(TuningTask, Config, Config, Confirmation, int, Timing, String)}, by workload and target key. */
    static ConfirmationRecord of(String workload, String target, Config baseline, Config best, Confirmation c,
            int rounds, Timing timing, String ccVersion) {
        return new ConfirmationRecord(workload, target, timing, baseline, best,
                c == null ? Double.NaN : c.baselineSeconds(), c == null ? Double.NaN : c.bestSeconds(),
                c == null ? Double.NaN : c.noise(), rounds,
                c == null ? Verdict.FAILED : c.significant() ? Verdict.SIGNIFICANT : Verdict.WITHIN_NOISE,
                System.currentTimeMillis() / 1000.0, TuningRecord.currentOctetVersion(), ccVersion);
    }

    /**
     * Whether this confirms {@code r}: same workload, target and best configuration, and the same timing or an
     * in-model one (which judges the configuration where it runs, whatever its record's timing).
     */
    public boolean confirms(TuningRecord r) {
        return workload.equals(r.workload()) && target.equals(r.target())
                && (timing == r.timing() || timing == Timing.MODEL) && best.equals(r.config());
    }

    public double speedup() {
        return baselineSeconds / bestSeconds;
    }

    /** One line for people: the times, the gain, the noise and what a build does with it. */
    public String describe() {
        return switch (verdict) {
            case FAILED -> "confirmation failed on re-measurement: a build keeps the default";
            case SIGNIFICANT -> String.format("confirmed %.2fx over %d rounds, noise %.1f%%: applied", speedup(),
                    rounds, noise * 100);
            case WITHIN_NOISE -> String.format("%.2fx over %d rounds is within 3x the noise %.1f%%: a build keeps "
                    + "the default", speedup(), rounds, noise * 100);
        };
    }
}
