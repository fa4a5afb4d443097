package dev.octet.quant;

/** The observed range itself, [min, max] widened to include 0 ([0, max] for a non-negative tensor): no clipping. */
public final class MaxObserver implements Observer {
    @Override
    public TensorRange range(TensorStatistics s) {
        Observer.requireRange(s);
        return new TensorRange(Math.min(s.min(), 0), Math.max(s.max(), 0));
    }
}
