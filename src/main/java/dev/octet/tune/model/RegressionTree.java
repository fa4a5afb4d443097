package dev.octet.tune.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One regression tree fitted by weighted least squares: each node splits on the feature and threshold that most
 * reduce the weighted squared error (with an L2 penalty on leaf values, as XGBoost does), until the depth limit or
 * the minimum leaf weight stops it. Exhaustive split search is affordable: a tuner fits hundreds of rows, not
 * millions. Stored as flat arrays so prediction is a short loop.
 */
public final class RegressionTree {
    private final int[] feature;
    private final double[] threshold;
    private final int[] left;
    private final int[] right;
    private final double[] value;

    private RegressionTree(int[] feature, double[] threshold, int[] left, int[] right, double[] value) {
        this.feature = feature;
        this.threshold = threshold;
        this.left = left;
        this.right = right;
        this.value = value;
    }

    /**
     * @param maxDepth splits on the longest path (0: a single leaf)
     * @param minLeafWeight the least total weight a leaf may hold
     * @param lambda L2 penalty on leaf values: a leaf's value is sum(w·y) / (sum(w) + lambda)
     */
    public record Params(int maxDepth, double minLeafWeight, double lambda) {
    }

    /** Fits rows {@code rows} of x to y with weights w. */
    public static RegressionTree fit(double[][] x, double[] y, double[] w, int[] rows, Params p) {
        return fit(x, y, w, rows, sortedColumns(x), p);
    }

    /**
     * As {@link #fit(double[][], double[], double[], int[], Params)} with every row's index sorted by each feature
     * ({@link #sortedColumns}) once for all the trees of an ensemble, so that a node's split search is a linear scan.
     */
    static RegressionTree fit(double[][] x, double[] y, double[] w, int[] rows, int[][] sorted, Params p) {
        Builder b = new Builder(x, y, w, sorted, p);
        int[] node = new int[x.length];
        java.util.Arrays.fill(node, -1);
        for (int r : rows) {
            node[r] = 0;
        }
        b.grow(rows.clone(), node, 0);
        return b.build();
    }

    /** For each feature, the row indices in increasing order of that feature. */
    static int[][] sortedColumns(double[][] x) {
        int features = x.length == 0 ? 0 : x[0].length;
        int[][] sorted = new int[features][];
        for (int f = 0; f < features; f++) {
            final int ff = f;
            sorted[f] = java.util.stream.IntStream.range(0, x.length).boxed()
                    .sorted(Comparator.comparingDouble(r -> x[r][ff])).mapToInt(Integer::intValue).toArray();
        }
        return sorted;
    }

    public double predict(double[] x) {
        int n = 0;
        while (feature[n] >= 0) {
            n = x[feature[n]] <= threshold[n] ? left[n] : right[n];
        }
        return value[n];
    }

    /** Nodes in the tree (leaves included). */
    public int size() {
        return value.length;
    }

    private static final class Builder {
        private final double[][] x;
        private final double[] y;
        private final double[] w;
        private final int[][] sorted;
        private final Params p;
        private final List<double[]> nodes = new ArrayList<>(); // {feature, threshold, left, right, value}

        Builder(double[][] x, double[] y, double[] w, int[][] sorted, Params p) {
            this.x = x;
            this.y = y;
            this.w = w;
            this.sorted = sorted;
            this.p = p;
        }

        /**
         * Grows the subtree of rows (those whose {@code node} entry is this node's index); returns that index.
         * Splits relabel the rows of each side with the child's index.
         */
        int grow(int[] rows, int[] node, int depth) {
            double sw = 0;
            double swy = 0;
            for (int r : rows) {
                sw += w[r];
                swy += w[r] * y[r];
            }
            int me = nodes.size();
            nodes.add(new double[] {-1, 0, -1, -1, swy / (sw + p.lambda())});
            if (depth >= p.maxDepth() || sw < 2 * p.minLeafWeight()) {
                return me;
            }
            for (int r : rows) {
                node[r] = me;
            }
            double parentScore = swy * swy / (sw + p.lambda());
            double bestGain = 1e-12;
            int bestFeature = -1;
            double bestThreshold = 0;
            for (int f = 0; f < sorted.length; f++) {
                double lw = 0;
                double lwy = 0;
                int prev = -1;
                for (int r : sorted[f]) {
                    if (node[r] != me) {
                        continue;
                    }
                    if (prev >= 0 && x[prev][f] != x[r][f] && lw >= p.minLeafWeight()
                            && sw - lw >= p.minLeafWeight()) {
                        double rw = sw - lw;
                        double rwy = swy - lwy;
                        double gain = lwy * lwy / (lw + p.lambda()) + rwy * rwy / (rw + p.lambda()) - parentScore;
                        if (gain > bestGain) {
                            bestGain = gain;
                            bestFeature = f;
                            bestThreshold = (x[prev][f] + x[r][f]) / 2;
                        }
                    }
                    lw += w[r];
                    lwy += w[r] * y[r];
                    prev = r;
                }
            }
            if (bestFeature < 0) {
                return me;
            }
            int nl = 0;
            for (int r : rows) {
                nl += x[r][bestFeature] <= bestThreshold ? 1 : 0;
            }
            int[] lrows = new int[nl];
            int[] rrows = new int[rows.length - nl];
            int li = 0;
            int ri = 0;
            for (int r : rows) {
                if (x[r][bestFeature] <= bestThreshold) {
                    lrows[li++] = r;
                } else {
                    rrows[ri++] = r;
                }
            }
            int l = grow(lrows, node, depth + 1);
            int rn = grow(rrows, node, depth + 1);
            double[] n = nodes.get(me);
            n[0] = bestFeature;
            n[1] = bestThreshold;
            n[2] = l;
            n[3] = rn;
            return me;
        }

        RegressionTree build() {
            int n = nodes.size();
            int[] f = new int[n];
            double[] t = new double[n];
            int[] l = new int[n];
            int[] r = new int[n];
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                double[] node = nodes.get(i);
                f[i] = (int) node[0];
                t[i] = node[1];
                l[i] = (int) node[2];
                r[i] = (int) node[3];
                v[i] = node[4];
            }
            return new RegressionTree(f, t, l, r, v);
        }
    }
}
