package dev.octet.tune.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The boosted trees learn a nonlinear function with an interaction: training error falls, unseen points rank right. */
class GradientBoostedTreesTest {
    private static double f(double[] x) {
        return Math.sin(3 * x[0]) + x[1] * x[1] - 0.5 * x[0] * x[1];
    }

    private static double[][] points(int n, long seed) {
        Random r = new Random(seed);
        double[][] x = new double[n][3];
        for (double[] p : x) {
            p[0] = r.nextDouble() * 2 - 1;
            p[1] = r.nextDouble() * 2 - 1;
            p[2] = r.nextDouble(); // irrelevant
        }
        return x;
    }

    private static GradientBoostedTrees fitted() {
        double[][] x = points(300, 1);
        double[] y = new double[x.length];
        double[] w = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = f(x[i]);
            w[i] = 1;
        }
        return GradientBoostedTrees.fit(x, y, w, GradientBoostedTrees.Params.defaults());
    }

    @Test
    void trainingErrorFallsTreeByTree() {
        double[] loss = fitted().trainingLoss();
        assertThat(loss).hasSize(GradientBoostedTrees.Params.defaults().trees() + 1);
        assertThat(loss[loss.length - 1]).isLessThan(loss[0] / 20);
        for (int i = 10; i < loss.length; i += 10) {
            assertThat(loss[i]).as("loss after %d trees", i).isLessThan(loss[i - 10]);
        }
    }

    @Test
    void unseenPointsAreRankedAlmostInTrueOrder() {
        GradientBoostedTrees m = fitted();
        double[][] test = points(200, 2);
        double[] truth = new double[test.length];
        double[] predicted = new double[test.length];
        for (int i = 0; i < test.length; i++) {
            truth[i] = f(test[i]);
            predicted[i] = m.predict(test[i]);
        }
        assertThat(concordance(truth, predicted)).isGreaterThan(0.85);
    }

    @Test
    void theSameDataAndSeedGiveTheSameModel() {
        double[] p = {0.3, -0.7, 0.5};
        assertThat(fitted().predict(p)).isEqualTo(fitted().predict(p));
    }

    @Test
    void noRowsIsAnError() {
        assertThatThrownBy(() -> GradientBoostedTrees.fit(new double[0][], new double[0], new double[0],
                GradientBoostedTrees.Params.defaults())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aSingleTreeSplitsOnTheInformativeFeature() {
        double[][] x = {{0, 5}, {1, 5}, {2, 5}, {3, 5}};
        double[] y = {1, 1, 9, 9};
        double[] w = {1, 1, 1, 1};
        RegressionTree t = RegressionTree.fit(x, y, w, new int[] {0, 1, 2, 3}, new RegressionTree.Params(1, 1, 0));
        assertThat(t.size()).isEqualTo(3);
        assertThat(t.predict(new double[] {0.5, 5})).isEqualTo(1);
        assertThat(t.predict(new double[] {2.5, 0})).isEqualTo(9);
    }

    /** Share of pairs whose predicted order matches the true order (Kendall-style concordance). */
    static double concordance(double[] truth, double[] predicted) {
        long agree = 0;
        long pairs = 0;
        for (int i = 0; i < truth.length; i++) {
            for (int j = i + 1; j < truth.length; j++) {
                if (truth[i] != truth[j]) {
                    pairs++;
                    agree += Math.signum(truth[i] - truth[j]) == Math.signum(predicted[i] - predicted[j]) ? 1 : 0;
                }
            }
        }
        return agree / (double) pairs;
    }
}
