package dev.octet.quant;

/**
 * A tensor's calibration histogram coarsened for a plot: {@code counts.length} equal bins over [lo, hi), the span
 * of the values seen and of the chosen range together, with the chosen range and the observed extremes to mark.
 *
 * @param tensor the activation tensor
 * @param lo lower edge of the first bin
 * @param hi upper edge of the last bin
 * @param counts values per bin
 * @param rangeMin the chosen range's lower end (the clipping threshold below zero; 0 for a non-negative tensor)
 * @param rangeMax the chosen range's upper end (the clipping threshold)
 * @param observedMin the smallest value seen in calibration
 * @param observedMax the largest value seen in calibration
 */
public record ActivationHistogram(String tensor, double lo, double hi, long[] counts, double rangeMin,
        double rangeMax, double observedMin, double observedMax) {

    /**
     * Coarsens the statistics' fine histogram: each fine bin's count goes to the coarse bin holding its centre
     * (a fine bin is thousands of times narrower than a coarse one, so the shift is invisible).
     *
     * @param bins coarse bins, at least 1
     */
    public static ActivationHistogram of(TensorStatistics s, TensorRange chosen, int bins) {
        if (bins < 1) {
            throw new IllegalArgumentException("bins must be at least 1, not " + bins);
        }
        double lo = Math.min(Math.min(s.min(), chosen.min()), 0);
        double hi = Math.max(Math.max(s.max(), chosen.max()), 0);
        if (!(hi > lo)) {
            hi = lo + 1; // a tensor that was always 0: one empty span rather than a division by zero
        }
        long[] counts = new long[bins];
        long[] fine = s.bins();
        double w = s.binWidth();
        for (int i = 0; i < fine.length; i++) {
            if (fine[i] != 0) {
                double centre = s.binStart(i) + w / 2;
                int k = (int) Math.floor((centre - lo) / (hi - lo) * bins);
                counts[Math.clamp(k, 0, bins - 1)] += fine[i];
            }
        }
        return new ActivationHistogram(s.name(), lo, hi, counts, chosen.min(), chosen.max(), s.min(), s.max());
    }

    /**
     * The fraction of the values seen that lie outside the chosen range (clipped by quantization), to the fine
     * histogram's resolution: a fine bin counts as clipped where it lies wholly outside (a bin holding an end of
     * the range counts as kept).
     */
    public static double clippedFraction(TensorStatistics s, TensorRange chosen) {
        if (s.count() == 0) {
            return 0;
        }
        long[] fine = s.bins();
        double w = s.binWidth();
        long clipped = 0;
        for (int i = 0; i < fine.length; i++) {
            if (fine[i] != 0 && (s.binStart(i) > chosen.max() || s.binStart(i) + w < chosen.min())) {
                clipped += fine[i];
            }
        }
        return (double) clipped / s.count();
    }
}
