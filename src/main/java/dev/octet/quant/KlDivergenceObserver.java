package dev.octet.quant;

/**
 * The clipping threshold whose quantized distribution loses the least information: TensorRT's entropy
 * calibration (Migacz, "8-bit Inference with TensorRT", 2017; the algorithm of TensorRT's pytorch-quantization
 * {@code _compute_amax_entropy} and MXNet's {@code _get_optimal_threshold}), on the histogram of |x|.
 *
 * <p>For each candidate i (number of histogram bins kept, from the number of levels up to the last occupied bin):
 * P is the first i bins with everything beyond added to the last (at most {@value #CANDIDATES} candidates, evenly
 * spaced, and always the last occupied bin); Q quantizes the first i bins into 128 levels
 * (s8, a signed tensor's [-t, t]) or 256 (u8, a non-negative tensor's [0, t]), spreading each level's count evenly
 * over its non-empty bins. The threshold is the upper edge of bin i for the i minimising KL(P‖Q) (the largest such
 * i on a tie). As TensorRT does, bin 0 is given bin 1's count first, so the spike of exact zeros after a ReLU does
 * not decide the threshold.
 *
 * <p>With prefix sums over the histogram each candidate costs one pass over the levels, not over the bins, since P
 * and Q are both constant where it matters: KL = Σ p ln p − Σ p ln q, the first a prefix sum, the second one term per
 * level.
 */
public final class KlDivergenceObserver implements Observer {
    /** At most this many candidate thresholds, evenly spaced (TensorRT tries every bin of 2048). */
    static final int CANDIDATES = 2048;

    @Override
    public TensorRange range(TensorStatistics s) {
        Observer.requireRange(s);
        long[] h = s.magnitudes();
        int n = h.length;
        while (n > 0 && h[n - 1] == 0) {
            n--;
        }
        int levels = s.isNonNegative() ? 256 : 128;
        if (n <= levels) {
            return Observer.clippedAt(s, s.maxAbs()); // coarser than the levels already: nothing to gain
        }
        h[0] = h[1];
        long[] sum = new long[n + 1];
        int[] nonEmpty = new int[n + 1];
        double[] hLogH = new double[n + 1];
        for (int k = 0; k < n; k++) {
            sum[k + 1] = sum[k] + h[k];
            nonEmpty[k + 1] = nonEmpty[k] + (h[k] != 0 ? 1 : 0);
            hLogH[k + 1] = hLogH[k] + (h[k] != 0 ? h[k] * Math.log(h[k]) : 0);
        }
        double total = sum[n];
        int best = n;
        double bestDivergence = Double.POSITIVE_INFINITY;
        int stride = Math.max(1, (n - levels) / CANDIDATES);
        for (int i = levels; i <= n; i = i == n ? n + 1 : Math.min(n, i + stride)) {
            double d = divergence(h, sum, nonEmpty, hLogH, total, i, levels);
            if (d <= bestDivergence) {
                bestDivergence = d;
                best = i;
            }
        }
        return Observer.clippedAt(s, best * s.binWidth());
    }

    /** KL(P‖Q) for keeping the first i bins, in nats; infinite where Q is 0 and P is not. */
    static double divergence(long[] h, long[] sum, int[] nonEmpty, double[] hLogH, double total, int i, int levels) {
        long outliers = (long) total - sum[i];
        long lastP = h[i - 1] + outliers;
        if (h[i - 1] == 0 && lastP > 0) {
            return Double.POSITIVE_INFINITY; // the clipped mass lands where Q has nothing
        }
        double logTotal = Math.log(total);
        // Σ p ln p over bins below i-1 (p = h / total), then the last bin with the outliers added.
        double selfTerm = (hLogH[i - 1] - sum[i - 1] * logTotal) / total;
        if (lastP > 0) {
            selfTerm += lastP / total * Math.log(lastP / total);
        }
        double sumQ = sum[i];
        double cross = 0;
        for (int j = 0; j < levels; j++) {
            // bin k belongs to level floor(k·levels / i): level j spans [ceil(j·i/levels), ceil((j+1)·i/levels))
            int start = (int) ((j * (long) i + levels - 1) / levels);
            int stop = (int) (((j + 1) * (long) i + levels - 1) / levels);
            long levelSum = sum[stop] - sum[start];
            int filled = nonEmpty[stop] - nonEmpty[start];
            if (levelSum == 0 || filled == 0) {
                continue;
            }
            double logQ = Math.log((double) levelSum / filled / sumQ);
            double pMass = levelSum + (j == levels - 1 ? outliers : 0);
            cross += pMass / total * logQ;
        }
        return selfTerm - cross;
    }
}
