package dev.octet.tune;

import static org.assertj.core.api.Assertions.assertThat;

import dev.octet.kernel.Knob;
import dev.octet.kernel.KnobSpace;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The scheduler spends the budget where the weighted total latency gains most: a task used five times gets more
 * trials than one used once when both improve alike, a task that just improved comes before an equal one that did
 * not, exhausted tasks drop out, and the budget is never overspent.
 */
class TaskSchedulerTest {
    /** A task whose best time falls like start / sqrt(1 + trials), down to floor; space of size limit. */
    static final class Fake implements TaskScheduler.Schedulable {
        final TuningTask task;
        final double start;
        final double floor;
        final int limit;
        int measured;

        Fake(String key, int uses, double start, double floor, int limit) {
            this.task = SpaceOnlyProblem.task(key, List.of(new KnobSpace("t", List.of(Knob.of("k", 1)))), uses);
            this.start = start;
            this.floor = floor;
            this.limit = limit;
        }

        @Override
        public TuningTask task() {
            return task;
        }

        @Override
        public int measure(int n) {
            int done = Math.min(n, limit - measured);
            measured += done;
            return done;
        }

        @Override
        public boolean exhausted() {
            return measured >= limit;
        }

        @Override
        public int measured() {
            return measured;
        }

        @Override
        public double bestSeconds() {
            return measured == 0 ? Double.NaN : Math.max(floor, start / Math.sqrt(1 + measured));
        }
    }

    @Test
    void theTaskUsedMoreOftenGetsMoreTrials() {
        Fake light = new Fake("light", 1, 1e-3, 0, 10_000);
        Fake heavy = new Fake("heavy", 5, 1e-3, 0, 10_000);
        List<String> order = new ArrayList<>();
        int spent = TaskScheduler.run(List.of(light, heavy), 200, 4, (t, s, total) -> order.add(t.task().key()));
        assertThat(spent).isEqualTo(200);
        assertThat(light.measured + heavy.measured).isEqualTo(200);
        // Equal marginal gains: 5 * t_h^-1.5 = t_l^-1.5 under the forward estimate, so about 5^(2/3) = 2.9x the trials.
        assertThat(heavy.measured).isGreaterThan(2 * light.measured);
        assertThat(order.subList(0, 2)).as("every task gets a first round").containsExactly("light", "heavy");
    }

    @Test
    void ofTwoEqualTasksTheOneThatJustImprovedComesFirst() {
        Fake improved = new Fake("improved", 1, 1e-3, 0, 100);
        Fake flat = new Fake("flat", 1, 1e-3, 0, 100);
        improved.measure(8);
        flat.measure(8);
        double best = improved.bestSeconds();
        double[] fellInLastRound = {best * 1.5, 4};
        double[] stayedInLastRound = {best, 4};
        assertThat(TaskScheduler.gain(improved, fellInLastRound, 1))
                .isGreaterThan(TaskScheduler.gain(flat, stayedInLastRound, 1));
        assertThat(TaskScheduler.gain(flat, stayedInLastRound, 1)).as("the forward estimate stays").isPositive();
    }

    @Test
    void theGainScalesWithUsesTimesLatency() {
        Fake once = new Fake("once", 1, 1e-3, 0, 100);
        Fake fiveTimes = new Fake("five", 5, 1e-3, 0, 100);
        Fake slower = new Fake("slower", 1, 5e-3, 0, 100);
        for (Fake f : List.of(once, fiveTimes, slower)) {
            f.measure(8);
        }
        double g = TaskScheduler.gain(once, null, 1);
        assertThat(TaskScheduler.gain(fiveTimes, null, 1)).isCloseTo(5 * g, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(TaskScheduler.gain(slower, null, 1)).isCloseTo(5 * g, org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void exhaustedTasksDropOutAndTheRestGetTheBudget() {
        Fake small = new Fake("small", 10, 1e-3, 0, 6);
        Fake big = new Fake("big", 1, 1e-3, 0, 10_000);
        int spent = TaskScheduler.run(List.of(small, big), 50, 4, null);
        assertThat(spent).isEqualTo(50);
        assertThat(small.measured).isEqualTo(6);
        assertThat(big.measured).isEqualTo(44);

        Fake a = new Fake("a", 1, 1e-3, 0, 3);
        Fake b = new Fake("b", 1, 1e-3, 0, 2);
        assertThat(TaskScheduler.run(List.of(a, b), 100, 4, null)).as("all exhausted").isEqualTo(5);
    }

    @Test
    void aBudgetSmallerThanOneRoundPerTaskStopsOnTime() {
        Fake a = new Fake("a", 1, 1e-3, 0, 100);
        Fake b = new Fake("b", 1, 1e-3, 0, 100);
        assertThat(TaskScheduler.run(List.of(a, b), 3, 4, null)).isEqualTo(3);
        assertThat(a.measured + b.measured).isEqualTo(3);
    }
}
