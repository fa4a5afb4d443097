package dev.octet.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.octet.data.Quad;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The formulas of the reports: edit distance, confidence intervals, box matching. */
class MetricsTest {
    @Test
    void editDistanceCountsCodePoints() {
        assertThat(EditDistance.between("kitten", "sitting")).isEqualTo(3);
        assertThat(EditDistance.between("", "abc")).isEqualTo(3);
        assertThat(EditDistance.between("中文字", "中字")).isEqualTo(1);
        assertThat(EditDistance.between("same", "same")).isZero();
    }

    @Test
    void wilsonIntervalMatchesTheTextbookValues() {
        ConfidenceInterval half = ConfidenceInterval.wilson(50, 100);
        assertThat(half.low()).isCloseTo(0.4038, within(1e-4));
        assertThat(half.high()).isCloseTo(0.5962, within(1e-4));
        ConfidenceInterval all = ConfidenceInterval.wilson(500, 500);
        assertThat(all.estimate()).isEqualTo(1);
        assertThat(all.high()).isEqualTo(1);
        assertThat(all.low()).isCloseTo(0.9924, within(1e-4));
    }

    @Test
    void bootstrapIntervalContainsTheEstimateAndNarrowsWithMoreItems() {
        double[] num = new double[400];
        double[] den = new double[400];
        for (int i = 0; i < num.length; i++) {
            den[i] = 10 + i % 7;
            num[i] = den[i] - (i % 5 == 0 ? 2 : 0);
        }
        ConfidenceInterval ci = ConfidenceInterval.bootstrapRatio(num, den, 1);
        assertThat(ci.low()).isLessThan(ci.estimate());
        assertThat(ci.high()).isGreaterThan(ci.estimate());
        ConfidenceInterval small = ConfidenceInterval.bootstrapRatio(java.util.Arrays.copyOf(num, 40),
                java.util.Arrays.copyOf(den, 40), 1);
        assertThat(small.halfWidth()).isGreaterThan(2 * ci.halfWidth());
    }

    @Test
    void boxesMatchOneToOneAtIouHalf() {
        List<Quad> truth = List.of(Quad.box(0, 0, 10, 10), Quad.box(20, 0, 30, 10));
        // Two detections on the first box (only one may count), one shifted too far from the second.
        List<Quad> found = List.of(Quad.box(0, 0, 10, 9), Quad.box(1, 0, 10, 10), Quad.box(26, 0, 36, 10));
        assertThat(BoxMatcher.matches(truth, found, 0.5)).isEqualTo(1);
        assertThat(BoxMatcher.matches(truth, List.of(Quad.box(22, 0, 32, 10), Quad.box(0, 0, 10, 10)), 0.5))
                .isEqualTo(2);
    }
}
