package dev.octet.quant;

/**
 * The smallest power of two at or above max|x|, as [0, 2^k] or [-2^k, 2^k]: TVM's default rounding of a maximum to
 * a power-of-two scale. Never clips; wastes up to half the levels.
 */
public final class PowerOfTwoObserver implements Observer {
    @Override
    public TensorRange range(TensorStatistics s) {
        Observer.requireRange(s);
        float a = s.maxAbs();
        float p = Math.scalb(1f, Math.getExponent(a));
        float t = p == a ? p : p * 2;
        return s.isNonNegative() ? new TensorRange(0, t) : new TensorRange(-t, t);
    }
}
