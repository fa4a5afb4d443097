package dev.octet.tune;

import dev.octet.kernel.Config;

/**
 * One line of a tuning log: one candidate measured for one workload on one target.
 *
 * @param workload the workload key
 * @param target {@link Target#key()}
 * @param config template and knob values
 * @param origin "template", or where an external candidate came from
 * @param minSeconds fastest timed call (NaN unless error is NO_ERROR)
 * @param medianSeconds median timed call (NaN unless NO_ERROR)
 * @param error the outcome; only NO_ERROR records can ever be applied
 * @param message what went wrong, or null
 * @param allCostSeconds wall time spent on the candidate (build, run, verification)
 * @param timestamp seconds since the epoch when it was measured
 * @param octetVersion the Octet that measured it
 * @param ccVersion the C compiler that built it
 * @param timing how the times were taken; times of different modes are never compared
 */
public record TuningRecord(String workload, String target, Config config, String origin, double minSeconds,
        double medianSeconds, ErrorCode error, String message, double allCostSeconds, double timestamp,
        String octetVersion, String ccVersion, Timing timing) {
    public TuningRecord {
        if (timing == null) {
            throw new IllegalArgumentException("a tuning record needs its timing mode");
        }
    }

    /** A record of unrecorded timing, read as {@link Timing#WARM} like a log line from before the field. */
    public TuningRecord(String workload, String target, Config config, String origin, double minSeconds,
            double medianSeconds, ErrorCode error, String message, double allCostSeconds, double timestamp,
            String octetVersion, String ccVersion) {
        this(workload, target, config, origin, minSeconds, medianSeconds, error, message, allCostSeconds, timestamp,
                octetVersion, ccVersion, Timing.WARM);
    }

    public static TuningRecord of(TuningTask task, Measurement m, String ccVersion, Timing timing) {
        return new TuningRecord(task.key(), task.target().key(), m.config(), m.origin(), m.minSeconds(),
                m.medianSeconds(), m.error(), m.message(), m.allCostSeconds(), System.currentTimeMillis() / 1000.0,
                currentOctetVersion(), ccVersion, timing);
    }

    /** The same record with another timing mode (tests and tools that label what they read). */
    public TuningRecord withTiming(Timing t) {
        return new TuningRecord(workload, target, config, origin, minSeconds, medianSeconds, error, message,
                allCostSeconds, timestamp, octetVersion, ccVersion, t);
    }

    /** Whether a build may use this record: a verified, timed candidate. */
    public boolean usable() {
        return error == ErrorCode.NO_ERROR && Double.isFinite(minSeconds);
    }

    /** The jar's version, or "dev" when run from classes. */
    public static String currentOctetVersion() {
        String v = TuningRecord.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
