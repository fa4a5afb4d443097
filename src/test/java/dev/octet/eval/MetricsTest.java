package dev.octet.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

import dev.octet.data.Quad;
import java.util.Arrays;
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
        ConfidenceInterval small = ConfidenceInterval.bootstrapRatio(Arrays.copyOf(num, 40),
                Arrays.copyOf(den, 40), 1);
        assertThat(small.halfWidth()).isGreaterThan(2 * ci.halfWidth());
    }

    @Test
    void aPairedDifferenceIsNarrowerThanTheSeparateIntervalsAndZeroForTheSameModel() {
        int n = 300;
        double[] ones = new double[n];
        double[] a = new double[n];
        double[] b = new double[n];
        for (int i = 0; i < n; i++) {
            ones[i] = 1;
            a[i] = i % 4 == 0 ? 0 : 1; // 75% right
            b[i] = a[i] == 1 && i % 50 == 1 ? 0 : a[i]; // the same, six more wrong
        }
        ConfidenceInterval d = ConfidenceInterval.bootstrapPairedDifference(a, ones, b, ones, 1);
        assertThat(d.estimate()).isCloseTo(6.0 / n, within(1e-12));
        assertThat(d.low()).isPositive();
        assertThat(d.halfWidth()).isLessThan(ConfidenceInterval.wilson(225, n).halfWidth() / 2);
        ConfidenceInterval none = ConfidenceInterval.bootstrapPairedDifference(a, ones, a, ones, 1);
        assertThat(none.estimate()).isZero();
        assertThat(none.low()).isZero();
        assertThat(none.high()).isZero();
    }

    @Test
    void aDropIsReferenceMinusCandidateAndRefusesReportsOfOtherSamples() {
        double[] ref = {1, 1, 1, 0};
        double[] cand = {1, 0, 1, 0};
        MetricDrop d = MetricDrop.orientation(accuracy(ref), accuracy(cand));
        assertThat(d.metric()).isEqualTo("accuracy");
        assertThat(d.drop().estimate()).isCloseTo(0.25, within(1e-12));
        assertThat(d.toString()).startsWith("accuracy drop +25.00 points");
        assertThat(MetricDrop.orientation(accuracy(cand), accuracy(ref)).drop().estimate()).isNegative();
        assertThatIllegalArgumentException()
                .isThrownBy(() -> MetricDrop.orientation(accuracy(ref), accuracy(new double[] {1, 1})));
        RecognitionReport a = recognition(new double[] {3, 5}, new double[] {4, 5});
        RecognitionReport b = recognition(new double[] {2, 5}, new double[] {4, 6});
        assertThatIllegalArgumentException()
                .isThrownBy(() -> MetricDrop.recognition(a, b)).withMessageContaining("not from the same lines");
        RecognitionReport c = recognition(new double[] {2, 5}, new double[] {4, 5});
        assertThat(MetricDrop.recognition(a, c).drop().estimate()).isCloseTo(1.0 / 9, within(1e-12));
    }

    private static AccuracyReport accuracy(double[] right) {
        long n = Arrays.stream(right).filter(r -> r == 1).count();
        return new AccuracyReport(right.length, ConfidenceInterval.wilson(n, right.length), 0, right);
    }

    private static RecognitionReport recognition(double[] correct, double[] lengths) {
        return new RecognitionReport(correct.length, ConfidenceInterval.wilson(0, correct.length),
                ConfidenceInterval.bootstrapRatio(correct, lengths, 1), 0, 0, List.of(), correct, lengths);
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
