package dev.octet.quant;

/**
 * Clips the tails: the upper bound is where the histogram's cumulative count reaches {@code percentile}% of the
 * values, the lower bound (signed tensors) where the count from the top does. Bounds are bin edges (one bin is
 * {@link TensorStatistics#binWidth()}, at most 1/2048 of the largest magnitude), taken on the outer side and
 * never beyond the observed min and max; the range is widened to include 0.
 */
public final class PercentileObserver implements Observer {
    private final double percentile;

    /** @param percentile in (0, 100], e.g. 99.99; 100 is the observed range */
    public PercentileObserver(double percentile) {
        if (!(percentile > 0 && percentile <= 100)) {
            throw new IllegalArgumentException("a percentile is in (0, 100], not " + percentile);
        }
        this.percentile = percentile;
    }

    public double percentile() {
        return percentile;
    }

    @Override
    public TensorRange range(TensorStatistics s) {
        Observer.requireRange(s);
        long[] bins = s.bins();
        double needed = percentile / 100 * s.count();
        int top = 0;
        long cum = 0;
        while (top < bins.length - 1 && (cum += bins[top]) < needed) {
            top++;
        }
        float hi = (float) Math.max(Math.min(s.binStart(top + 1), s.max()), 0);
        if (s.isNonNegative()) {
            return new TensorRange(0, hi);
        }
        int bottom = bins.length - 1;
        cum = 0;
        while (bottom > 0 && (cum += bins[bottom]) < needed) {
            bottom--;
        }
        float lo = (float) Math.max(s.binStart(bottom), s.min());
        return new TensorRange(Math.min(lo, 0), hi);
    }
}
