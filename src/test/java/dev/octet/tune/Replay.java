package dev.octet.tune;

import dev.octet.kernel.Config;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Runs a tuner against a stand-in measurer (recorded or synthetic costs) the way {@link TaskRun} drives it: the
 * default configuration in the first batch, then the tuner's proposals in batches, each batch's measurements fed
 * back through {@link Tuner#update}. Counts trials, not seconds, which is what tuners are compared on.
 */
final class Replay {
    private Replay() {
    }

    /**
     * @param cost seconds of a configuration; NaN or infinite for a failed candidate
     * @return the number of trials (1-based, the default included) after which some measured cost was at most goal,
     *     or budget + 1 if none was within budget
     */
    static int trialsToReach(Tuner tuner, Config defaults, Function<Config, Double> cost, double goal, int budget,
            int batch) {
        Set<Config> tried = new HashSet<>();
        List<Config> queue = new ArrayList<>(List.of(defaults));
        tried.add(defaults);
        int trials = 0;
        while (trials < budget) {
            while (queue.size() < batch) {
                List<Config> more = tuner.next(batch - queue.size()).stream().filter(tried::add).toList();
                if (more.isEmpty()) {
                    break;
                }
                queue.addAll(more);
            }
            if (queue.isEmpty()) {
                break;
            }
            List<Measurement> ms = new ArrayList<>();
            for (Config c : queue) {
                double s = cost.apply(c);
                trials++;
                if (Double.isFinite(s) && s <= goal) {
                    return trials;
                }
                ms.add(Double.isFinite(s) ? new Measurement(c, "template", ErrorCode.NO_ERROR, s, s, 0, null)
                        : new Measurement(c, "template", ErrorCode.WRONG_ANSWER, Double.NaN, Double.NaN, 0,
                                "stand-in"));
            }
            queue.clear();
            tuner.update(ms);
        }
        return budget + 1;
    }

    /** The median of a list of counts (the mean of the middle two for an even count). */
    static double median(List<Integer> xs) {
        List<Integer> s = xs.stream().sorted().toList();
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2.0;
    }
}
