package dev.octet.tune;

import dev.octet.kernel.Config;

/**
 * The result of measuring one candidate.
 *
 * @param minSeconds the fastest timed call (NaN unless {@code error} is NO_ERROR)
 * @param medianSeconds the median timed call (NaN unless NO_ERROR)
 * @param allCostSeconds wall time spent on the candidate: build, run, verification
 * @param message what went wrong, or null
 */
public record Measurement(Config config, String origin, ErrorCode error, double minSeconds, double medianSeconds,
        double allCostSeconds, String message) {
    static Measurement failed(Candidate c, ErrorCode error, String message, double allCost) {
        return new Measurement(c.config(), c.origin(), error, Double.NaN, Double.NaN, allCost, message);
    }

    boolean ok() {
        return error == ErrorCode.NO_ERROR;
    }
}
