package dev.octet.tune;

import dev.octet.kernel.Config;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The cost model's training target for one workload's measurements: {@code -ln(cost)} minus its mean over the
 * workload's usable measurements. The log makes ratios differences (a 2x faster kernel scores ln 2 higher whatever
 * the workload's size); centring per workload removes the workload's absolute cost, so records of other workloads
 * teach only which configurations are relatively fast. A failed or wrong candidate scores ln 2 below the slowest
 * usable one: the worst, without an outlier that would swamp the squared loss.
 */
final class RankTargets {
    static final double FAILED_PENALTY = Math.log(2);

    private RankTargets() {
    }

    /** @param costs seconds per configuration; infinite or NaN for a failed candidate */
    static Map<Config, Double> of(Map<Config, Double> costs) {
        double sum = 0;
        int n = 0;
        double worst = Double.POSITIVE_INFINITY;
        for (double c : costs.values()) {
            if (Double.isFinite(c) && c > 0) {
                double y = -Math.log(c);
                sum += y;
                n++;
                worst = Math.min(worst, y);
            }
        }
        double mean = n == 0 ? 0 : sum / n;
        double failed = n == 0 ? -FAILED_PENALTY : worst - mean - FAILED_PENALTY;
        Map<Config, Double> out = new LinkedHashMap<>();
        costs.forEach((c, cost) -> out.put(c, Double.isFinite(cost) && cost > 0 ? -Math.log(cost) - mean : failed));
        return out;
    }
}
