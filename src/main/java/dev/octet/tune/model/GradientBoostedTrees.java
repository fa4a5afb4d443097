package dev.octet.tune.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A gradient-boosted ensemble of regression trees for squared loss: each tree fits the residuals of the ensemble
 * so far on a random subsample of the rows, shrunk by the learning rate. This is the model of AutoTVM's XGBoost
 * tuner, written out in Java instead of taken from XGBoost4J ({@code ml.dmlc:xgboost4j_2.12}) because:
 * <ul>
 * <li>a tuner trains on hundreds of records with a few dozen features; exhaustive split search fits that in
 * milliseconds, so XGBoost's histogram tricks and threads buy nothing;
 * <li>XGBoost4J brings a native library per platform and a Scala runtime into a compiler that otherwise needs only
 * a JDK and a C compiler (and its native loader would be a second, unverified native path beside ours);
 * <li>a fit here is deterministic for a seed on every machine and thread count, so a tuning session and its tests
 * replay exactly.
 * </ul>
 * Squared loss on a rank-friendly target (see {@link ConfigFeatures}) is what AutoTVM's "reg" objective does; its
 * rank objective mostly matters with far more data than a tuning session has.
 */
public final class GradientBoostedTrees {
    /**
     * @param trees boosting rounds
     * @param learningRate shrinkage of each tree
     * @param subsample fraction of rows each tree sees (1: all)
     */
    public record Params(int trees, double learningRate, double subsample, RegressionTree.Params tree, long seed) {
        /**
         * Settings chosen with the replay tool on ResNet-50 logs (fp32 and int8): depth 6 leaves room for workload
         * splits above knob splits, which is what pre-training on other workloads needs.
         */
        public static Params defaults() {
            return new Params(60, 0.2, 0.8, new RegressionTree.Params(6, 1.0, 1.0), 17);
        }
    }

    private final double base;
    private final double learningRate;
    private final List<RegressionTree> trees;
    private final double[] trainingLoss;

    private GradientBoostedTrees(double base, double learningRate, List<RegressionTree> trees, double[] loss) {
        this.base = base;
        this.learningRate = learningRate;
        this.trees = List.copyOf(trees);
        this.trainingLoss = loss;
    }

    /**
     * Fits y ≈ f(x) with row weights w.
     *
     * @throws IllegalArgumentException if there are no rows or the lengths differ
     */
    public static GradientBoostedTrees fit(double[][] x, double[] y, double[] w, Params p) {
        int n = x.length;
        if (n == 0 || y.length != n || w.length != n) {
            throw new IllegalArgumentException("need as many targets and weights as rows, and at least one row");
        }
        double sw = 0;
        double swy = 0;
        for (int i = 0; i < n; i++) {
            sw += w[i];
            swy += w[i] * y[i];
        }
        double base = swy / sw;
        double[] pred = new double[n];
        java.util.Arrays.fill(pred, base);
        double[] residual = new double[n];
        double[] loss = new double[p.trees() + 1];
        loss[0] = loss(y, pred, w);
        Random random = new Random(p.seed());
        List<RegressionTree> trees = new ArrayList<>();
        int[][] sorted = RegressionTree.sortedColumns(x);
        for (int t = 0; t < p.trees(); t++) {
            for (int i = 0; i < n; i++) {
                residual[i] = y[i] - pred[i];
            }
            int[] rows = sample(n, p.subsample(), random);
            RegressionTree tree = RegressionTree.fit(x, residual, w, rows, sorted, p.tree());
            trees.add(tree);
            for (int i = 0; i < n; i++) {
                pred[i] += p.learningRate() * tree.predict(x[i]);
            }
            loss[t + 1] = loss(y, pred, w);
        }
        return new GradientBoostedTrees(base, p.learningRate(), trees, loss);
    }

    public double predict(double[] x) {
        double s = base;
        for (RegressionTree t : trees) {
            s += learningRate * t.predict(x);
        }
        return s;
    }

    /** Weighted mean squared error on the training rows before any tree, then after each tree. */
    public double[] trainingLoss() {
        return trainingLoss.clone();
    }

    private static int[] sample(int n, double fraction, Random random) {
        if (fraction >= 1) {
            int[] all = new int[n];
            for (int i = 0; i < n; i++) {
                all[i] = i;
            }
            return all;
        }
        int[] picked = new int[n];
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (random.nextDouble() < fraction) {
                picked[k++] = i;
            }
        }
        if (k == 0) {
            picked[k++] = random.nextInt(n);
        }
        return java.util.Arrays.copyOf(picked, k);
    }

    private static double loss(double[] y, double[] pred, double[] w) {
        double s = 0;
        double sw = 0;
        for (int i = 0; i < y.length; i++) {
            double d = y[i] - pred[i];
            s += w[i] * d * d;
            sw += w[i];
        }
        return s / sw;
    }
}
