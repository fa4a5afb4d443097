package dev.octet.tune;

import static org.assertj.core.api.Assertions.assertThat;

import dev.octet.kernel.Config;
import dev.octet.kernel.Knob;
import dev.octet.kernel.KnobSpace;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Where a space is too large to score exhaustively (8^6 = 262,144 points here), annealing finds the points a score
 * ranks highest without listing the space, and never returns a point already seen; the cost-model tuner then
 * proposes through it without repeats.
 */
class AnnealingSearchTest {
    private static final List<String> KNOBS = List.of("a", "b", "c", "d", "e", "f");
    private static final KnobSpace BIG = new KnobSpace("big", KNOBS.stream()
            .map(k -> Knob.of(k, 0, 1, 2, 3, 4, 5, 6, 7)).toList());

    /** Higher near (5, 2, 7, 1, 4, 6): a single smooth peak. */
    private static double score(Config c) {
        int[] peak = {5, 2, 7, 1, 4, 6};
        double s = 0;
        for (int i = 0; i < KNOBS.size(); i++) {
            int d = c.get(KNOBS.get(i)) - peak[i];
            s -= d * d;
        }
        return s;
    }

    @Test
    void findsThePeakAndSkipsSeenPoints() {
        assertThat(BIG.size()).isGreaterThan(SpaceWalk.LISTABLE);
        Random random = new Random(3);
        SpaceWalk walk = new SpaceWalk(List.of(BIG), random);
        Config peak = new Config("big", Map.of("a", 5, "b", 2, "c", 7, "d", 1, "e", 4, "f", 6));
        List<Config> top = AnnealingSearch.top(walk, AnnealingSearchTest::score, List.of(), Set.of(), 8, random);
        assertThat(top).hasSize(8).contains(peak);
        assertThat(score(top.get(0))).isEqualTo(0);
        assertThat(top).allSatisfy(c -> assertThat(score(c)).isGreaterThanOrEqualTo(-2));

        List<Config> without = AnnealingSearch.top(walk, AnnealingSearchTest::score, List.of(), Set.of(peak), 8,
                random);
        assertThat(without).doesNotContain(peak).hasSize(8);
    }

    @Test
    void theCostModelTunerSearchesALargeSpaceWithoutRepeatsAndClimbsHigherThanRandom() {
        double xgb = bestAfter96("xgb");
        double random = bestAfter96("random");
        assertThat(xgb).isGreaterThan(random).isGreaterThanOrEqualTo(-6);
    }

    private static double bestAfter96(String name) {
        TuningTask task = SpaceOnlyProblem.task("conv2d_f32[c8>8,k1x1]", List.of(BIG), 1);
        Tuner tuner = Tuner.create(name, task, List.of(), 5);
        Set<Config> proposed = new HashSet<>();
        double best = Double.NEGATIVE_INFINITY;
        for (int round = 0; round < 12; round++) {
            List<Measurement> ms = new ArrayList<>();
            for (Config c : tuner.next(8)) {
                assertThat(proposed.add(c)).as("proposed twice: " + c).isTrue();
                double seconds = Math.exp(-score(c) / 10) * 1e-3;
                best = Math.max(best, score(c));
                ms.add(new Measurement(c, "template", ErrorCode.NO_ERROR, seconds, seconds, 0, null));
            }
            tuner.update(ms);
        }
        assertThat(proposed).hasSize(96);
        return best;
    }
}
