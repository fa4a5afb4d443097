package dev.octet.quant;

/**
 * The clipping threshold t that minimises the expected squared error of quantizing the observed values: rounding
 * error inside [0, t] (255 levels for u8 [0, t], 127 per side for s8 [-t, t]) plus clipping error beyond it,
 * computed over the histogram of |x| with each bin's count at its centre (as TensorRT's pytorch-quantization
 * {@code _compute_amax_mse} does). Candidates are bin edges from the number of levels up to max|x|, at most
 * {@value #CANDIDATES} of them evenly spaced; the clipping part comes from prefix sums, the rounding part from one
 * pass over the bins below t.
 */
public final class MseObserver implements Observer {
    static final int CANDIDATES = 1024;

    @Override
    public TensorRange range(TensorStatistics s) {
        Observer.requireRange(s);
        long[] h = s.magnitudes();
        int n = h.length;
        while (n > 0 && h[n - 1] == 0) {
            n--;
        }
        int levels = Observer.levels(s);
        double w = s.binWidth();
        if (n <= levels) {
            return Observer.clippedAt(s, s.maxAbs());
        }
        // suffix sums of count, count·c and count·c² for the clipped part Σ count·(c − t)²
        double[] cnt = new double[n + 1];
        double[] c1 = new double[n + 1];
        double[] c2 = new double[n + 1];
        for (int k = n - 1; k >= 0; k--) {
            double c = (k + 0.5) * w;
            cnt[k] = cnt[k + 1] + h[k];
            c1[k] = c1[k + 1] + h[k] * c;
            c2[k] = c2[k + 1] + h[k] * c * c;
        }
        int stride = Math.max(1, (n - levels) / CANDIDATES);
        int best = n;
        double bestError = Double.POSITIVE_INFINITY;
        for (int i = levels; i <= n; i = i == n ? n + 1 : Math.min(n, i + stride)) {
            double t = i * w;
            double step = t / levels;
            double error = c2[i] - 2 * t * c1[i] + t * t * cnt[i];
            for (int k = 0; k < i; k++) {
                if (h[k] != 0) {
                    double c = (k + 0.5) * w;
                    double q = Math.min(Math.rint(c / step), levels) * step;
                    error += h[k] * (q - c) * (q - c);
                }
            }
            if (error < bestError) {
                bestError = error;
                best = i;
            }
        }
        return Observer.clippedAt(s, best * w);
    }
}
