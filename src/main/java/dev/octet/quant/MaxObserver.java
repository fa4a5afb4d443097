package dev.octet.quant;

/** The observed range itself, [min, max] ([0, max] for a non-negative tensor): no clipping at all. */
public final class MaxObserver implements Observer {
    @Override
    public TensorRange range(TensorStatistics s) {
        Observer.requireRange(s);
        return new TensorRange(s.isNonNegative() ? 0 : s.min(), s.max());
    }
}
