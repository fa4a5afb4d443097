package dev.octet.quant;

/**
 * The clipping threshold t that minimises the expected squared error of quantizing the observed values: rounding
 * error inside [0, t] (255 levels for u8 [0, t], 127 per side for s8 [-t, t]) plus clipping error beyond it,
 * computed over the histogram of |x| with each bin's count at its centre (as TensorRT's pytorch-quantization
 * {@code _compute_amax_mse} does). Every bin edge from the number of levels up to max|x| is a candidate.
 *
 * <p>Each candidate costs one pass over the levels, not the bins: the bins whose centres round to level j form a
 * contiguous run (found in integer arithmetic), and Σ count·(c − j·s)² over a run, like the clipped part
 * Σ count·(c − t)², follows from prefix sums of count, count·c and count·c².
 */
public final class MseObserver implements Observer {
    @Override
    public TensorRange range(TensorStatistics s) {
        Observer.requireRange(s);
        long[] h = s.magnitudes();
        int n = h.length;
        while (n > 0 && h[n - 1] == 0) {
            n--;
        }
        int levels = Observer.levels(s);
        if (n <= levels) {
            return Observer.clippedAt(s, s.maxAbs());
        }
        // prefix sums of count, count·c and count·c², with c in units of one bin width: c = k + 0.5
        double[] p0 = new double[n + 1];
        double[] p1 = new double[n + 1];
        double[] p2 = new double[n + 1];
        for (int k = 0; k < n; k++) {
            double c = k + 0.5;
            p0[k + 1] = p0[k] + h[k];
            p1[k + 1] = p1[k] + h[k] * c;
            p2[k + 1] = p2[k] + h[k] * c * c;
        }
        int best = n;
        double bestError = Double.POSITIVE_INFINITY;
        for (int i = levels; i <= n; i++) {
            double error = squaredError(p0, p1, p2, n, i, i, 0, n); // clipped: everything at and above bin i to t = i
            double step = (double) i / levels;
            for (int j = 0; j <= levels; j++) {
                int from = cellStart(j, i, levels);
                int to = j == levels ? i : cellStart(j + 1, i, levels);
                error += squaredError(p0, p1, p2, n, j * step, Math.max(from, 0), 0, Math.min(to, i));
            }
            if (error < bestError) {
                bestError = error;
                best = i;
            }
        }
        return Observer.clippedAt(s, best * s.binWidth());
    }

    /** The first bin whose centre k + 0.5 rounds to level j or above: k ≥ (j − 0.5)·i/levels − 0.5. */
    static int cellStart(int j, int i, int levels) {
        return (int) Math.ceilDiv((2L * j - 1) * i - levels, 2L * levels);
    }

    /** Σ count·(c − q)² over bins [max(from, lo), to) (to capped at n), from the prefix sums. */
    private static double squaredError(double[] p0, double[] p1, double[] p2, int n, double q, int from, int lo,
            int to) {
        int a = Math.max(from, lo);
        int b = Math.min(to, n);
        if (a >= b) {
            return 0;
        }
        double c0 = p0[b] - p0[a];
        double c1 = p1[b] - p1[a];
        double c2 = p2[b] - p2[a];
        return Math.max(0, c2 - 2 * q * c1 + q * q * c0);
    }
}
