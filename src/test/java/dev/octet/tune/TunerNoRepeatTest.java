package dev.octet.tune;

import static org.assertj.core.api.Assertions.assertThat;

import dev.octet.kernel.Config;
import dev.octet.kernel.Knob;
import dev.octet.kernel.KnobSpace;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.constraints.IntRange;

/**
 * Every tuner, driven until it has nothing left, proposes each configuration of the space at most once, never one
 * the log already holds for the task, and in the end every configuration the log lacks: a resumed session repeats
 * nothing and an exhausted one missed nothing. Two templates, failing candidates and a log of another workload
 * (transfer records, which must not count as tried) are part of the space.
 */
class TunerNoRepeatTest {
    private static final List<KnobSpace> SPACES = List.of(
            new KnobSpace("a", List.of(Knob.of("x", 4, 1, 2, 8, 16), Knob.of("y", 1, 2, 3, 4), Knob.of("o", 0, 1))),
            new KnobSpace("b", List.of(Knob.of("z", 1, 2, 3, 4, 5, 6, 7, 8), Knob.of("o", 0, 1))));
    private static final TuningTask TASK = SpaceOnlyProblem.task("conv2d_f32[c8>8,k3x3]", SPACES, 1);

    @Provide
    Arbitrary<String> tuners() {
        return Arbitraries.of(Tuner.NAMES);
    }

    @Property(tries = 24)
    void proposalsAreNewAndCoverWhatIsLeft(@ForAll("tuners") String name, @ForAll @IntRange(max = 1000) int seed,
            @ForAll @IntRange(max = 40) int logged, @ForAll @IntRange(min = 1, max = 9) int batch) {
        List<Config> all = TASK.configs();
        List<TuningRecord> history = new ArrayList<>();
        Set<Config> inLog = new HashSet<>();
        for (int i = 0; i < logged; i++) {
            Config c = all.get((i * 7 + seed) % all.size());
            if (inLog.add(c)) {
                history.add(TunerComparisonTest.record(TASK.key(), c, cost(c)));
            }
        }
        for (Config c : all) { // another workload: training data for xgb, never "tried" for this task
            history.add(TunerComparisonTest.record("conv2d_f32[c16>16,k3x3]", c, 2 * cost(c)));
        }
        Tuner tuner = Tuner.create(name, TASK, history, seed);
        Set<Config> proposed = new HashSet<>();
        for (int round = 0; round < 200; round++) {
            List<Config> next = tuner.next(batch);
            if (next.isEmpty()) {
                break;
            }
            List<Measurement> ms = new ArrayList<>();
            for (Config c : next) {
                assertThat(proposed.add(c)).as("%s proposed %s twice", name, c).isTrue();
                assertThat(inLog).as("%s proposed %s from the log", name, c).doesNotContain(c);
                assertThat(SPACES.stream().anyMatch(s -> s.contains(c))).as("a point of the space").isTrue();
                double s = cost(c);
                ms.add(Double.isFinite(s) ? new Measurement(c, "template", ErrorCode.NO_ERROR, s, s, 0, null)
                        : new Measurement(c, "template", ErrorCode.RUNTIME_ERROR, Double.NaN, Double.NaN, 0, "x"));
            }
            tuner.update(ms);
        }
        Set<Config> expected = new HashSet<>(all);
        expected.removeAll(inLog);
        assertThat(proposed).isEqualTo(expected);
    }

    /** Some structure, and a template-b corner that fails. */
    private static double cost(Config c) {
        if (c.template().equals("b")) {
            return c.get("z") == 8 ? Double.NaN : 1 + Math.abs(c.get("z") - 3) * 0.1 + c.get("o") * 0.05;
        }
        return 1 + Math.abs(c.get("x") - 8) * 0.02 + c.get("y") * 0.03 + c.get("o") * 0.1;
    }
}
