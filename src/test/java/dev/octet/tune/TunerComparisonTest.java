package dev.octet.tune;

import static org.assertj.core.api.Assertions.assertThat;

import dev.octet.kernel.Config;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * On a landscape with structure (a bowl over tile sizes, penalties per loop order and tiling), the genetic and the
 * cost-model tuner reach a configuration within 5% of the best in fewer trials than random search, in the median
 * over fixed seeds; records of a similar workload (an existing log) make the cost model faster still. Costs come
 * from {@link SyntheticLandscape}, driven like a session by {@link Replay}.
 */
class TunerComparisonTest {
    private static final int SEEDS = 21;
    private static final int BATCH = 4;
    private static final SyntheticLandscape LANDSCAPE = new SyntheticLandscape("conv2d_f32[c64>64,g1,k3x3]", 1);

    private static double medianTrials(String tuner, List<TuningRecord> history) {
        TuningTask task = LANDSCAPE.task();
        double goal = LANDSCAPE.best() * 1.05;
        List<Integer> n = new ArrayList<>();
        for (long seed = 1; seed <= SEEDS; seed++) {
            Tuner t = Tuner.create(tuner, task, history, seed);
            n.add(Replay.trialsToReach(t, task.defaults(), LANDSCAPE::cost, goal, (int) task.size(), BATCH));
        }
        return Replay.median(n);
    }

    @Test
    void gaAndXgbBeatRandomInTheMedian() {
        double random = medianTrials("random", List.of());
        double ga = medianTrials("ga", List.of());
        double xgb = medianTrials("xgb", List.of());
        System.out.printf("median trials to within 5%% over %d seeds: random %.1f, ga %.1f, xgb %.1f%n", SEEDS,
                random, ga, xgb);
        assertThat(ga).isLessThan(random);
        assertThat(xgb).isLessThan(random);
    }

    @Test
    void recordsOfAnotherWorkloadPreTrainTheCostModel() {
        SyntheticLandscape other = new SyntheticLandscape("conv2d_f32[c128>128,g1,k3x3]", 3);
        List<TuningRecord> log = new ArrayList<>();
        for (Config c : SyntheticLandscape.SPACE.all()) {
            double s = other.cost(c);
            if (c.hashCode() % 3 == 0) { // a third of the other task's space was measured
                log.add(record(other.key(), c, s));
            }
        }
        double cold = medianTrials("xgb", List.of());
        double warm = medianTrials("xgb", log);
        System.out.printf("xgb median trials: %.1f cold, %.1f pre-trained on %d records of %s%n", cold, warm,
                log.size(), other.key());
        assertThat(warm).isLessThan(cold);
    }

    static TuningRecord record(String key, Config c, double seconds) {
        boolean ok = Double.isFinite(seconds);
        return new TuningRecord(key, "replay", c, "template", ok ? seconds : Double.NaN, ok ? seconds : Double.NaN,
                ok ? ErrorCode.NO_ERROR : ErrorCode.WRONG_ANSWER, null, 0, 0, "dev", "cc");
    }
}
