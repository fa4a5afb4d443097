package dev.octet.quant;

import dev.octet.ir.OctetException;
import java.util.Arrays;

/**
 * What calibration saw of one tensor: how many values, their min and max, and a histogram of {@value #BINS} bins
 * fine enough for every {@link Observer} (the search over clipping thresholds of KL and MSE included).
 *
 * <p>The histogram covers [0, R) while every value seen is non-negative, else [-R, R), where R = 2^e is the smallest
 * power of two strictly above max|x| (at least 2^{@value #MIN_EXPONENT}). R thus depends only on the values' largest
 * magnitude, not on the order they came in, and a wider R (or the switch to a signed range) merges neighbouring bins
 * exactly, in pairs, because bin edges are powers of two apart and a value's bin is floor(x·2^k), an exact
 * computation. So statistics are the same however the images are split into runs and merged; the occupied part
 * of the histogram always spans at least half of its bins on the side of the largest magnitude.
 *
 * <p>Non-finite values are refused at once ({@link OctetException} naming the tensor): a NaN or infinite
 * activation has no range and means the model or its input is broken.
 */
public final class TensorStatistics {
    /** Bins of the histogram; a signed tensor has half of them on each side of zero. */
    public static final int BINS = 8192;
    /** Exponent of the narrowest range, so that a tensor of tiny or zero values still has a histogram. */
    static final int MIN_EXPONENT = -60;

    private final String name;
    private long count;
    private float min = Float.POSITIVE_INFINITY;
    private float max = Float.NEGATIVE_INFINITY;
    private int exponent = MIN_EXPONENT;
    private boolean signed;
    private final long[] bins;

    /** Empty statistics for the named tensor. */
    public TensorStatistics(String name) {
        this(name, 0, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, MIN_EXPONENT, false, new long[BINS]);
    }

    /** Restores statistics (the calibration cache); the arguments must be as {@link #add} would leave them. */
    TensorStatistics(String name, long count, float min, float max, int exponent, boolean signed, long[] bins) {
        if (bins.length != BINS || exponent < MIN_EXPONENT || signed != (min < 0)
                || Arrays.stream(bins).sum() != count || (count > 0 && exponent != exponentFor(min, max))) {
            throw new IllegalArgumentException("inconsistent statistics for '" + name + "'");
        }
        this.name = name;
        this.count = count;
        this.min = min;
        this.max = max;
        this.exponent = exponent;
        this.signed = signed;
        this.bins = bins.clone();
    }

    public String name() {
        return name;
    }

    /** How many values were seen. */
    public long count() {
        return count;
    }

    /** The smallest value seen (+∞ where none). */
    public float min() {
        return min;
    }

    /** The largest value seen (−∞ where none). */
    public float max() {
        return max;
    }

    /** The largest magnitude seen. */
    public float maxAbs() {
        return Math.max(Math.abs(min), Math.abs(max));
    }

    /** Whether no value seen was negative (post-ReLU tensors): such tensors get ranges [0, t]. */
    public boolean isNonNegative() {
        return !signed;
    }

    /** R, the histogram's extent: it covers [0, R) or [-R, R). */
    public double extent() {
        return Math.scalb(1.0, exponent);
    }

    /** The width of one bin. */
    public double binWidth() {
        return Math.scalb(1.0, exponent - log2Bins(signed));
    }

    /** The lower edge of bin {@code i}. */
    public double binStart(int i) {
        return (signed ? i - BINS / 2 : i) * binWidth();
    }

    /** The histogram over [0, R) or [-R, R) (a copy). */
    public long[] bins() {
        return bins.clone();
    }

    /**
     * The histogram of |x| over [0, R), {@link #binWidth()} per bin: the signed histogram folded at zero (bins
     * [k·w, (k+1)·w) and [-(k+1)·w, -k·w) add up), or the histogram itself for a non-negative tensor.
     */
    public long[] magnitudes() {
        if (!signed) {
            return bins.clone();
        }
        long[] m = new long[BINS / 2];
        for (int k = 0; k < BINS / 2; k++) {
            m[k] = bins[BINS / 2 + k] + bins[BINS / 2 - 1 - k];
        }
        return m;
    }

    /** Adds a tensor's values (one image's activation). */
    public void add(float[] values) {
        float lo = min;
        float hi = max;
        for (int i = 0; i < values.length; i++) {
            float v = values[i];
            if (!Float.isFinite(v)) {
                throw new OctetException("tensor '" + name + "' has a non-finite value (" + v + " at element " + i
                        + "): it has no range to quantize with; check the model and its input");
            }
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        if (values.length == 0) {
            return;
        }
        rebin(exponentFor(lo, hi), lo < 0);
        min = lo;
        max = hi;
        count += values.length;
        double toBin = Math.scalb(1.0, log2Bins(signed) - exponent);
        int offset = signed ? BINS / 2 : 0;
        for (float v : values) {
            bins[(int) Math.floor(v * toBin) + offset]++;
        }
    }

    /** Adds everything {@code other} saw (of the same tensor). */
    public void merge(TensorStatistics other) {
        if (other.count == 0) {
            return;
        }
        TensorStatistics o = other.copy();
        int e = Math.max(exponent, o.exponent);
        boolean s = signed || o.signed;
        rebin(e, s);
        o.rebin(e, s);
        for (int i = 0; i < BINS; i++) {
            bins[i] += o.bins[i];
        }
        count += o.count;
        min = Math.min(min, o.min);
        max = Math.max(max, o.max);
    }

    public TensorStatistics copy() {
        return new TensorStatistics(name, count, min, max, exponent, signed, bins);
    }

    /** Whether both saw the same values, bin for bin. */
    public boolean sameAs(TensorStatistics o) {
        return name.equals(o.name) && count == o.count && Float.compare(min, o.min) == 0
                && Float.compare(max, o.max) == 0 && exponent == o.exponent && signed == o.signed
                && Arrays.equals(bins, o.bins);
    }

    int exponent() {
        return exponent;
    }

    /** Widens the histogram to R = 2^e (and to a signed range): bins merge in groups of a power of two. */
    private void rebin(int e, boolean s) {
        int newExponent = Math.max(e, exponent);
        boolean newSigned = s || signed;
        int shift = (newExponent - log2Bins(newSigned)) - (exponent - log2Bins(signed));
        if (shift == 0) {
            return;
        }
        long[] old = bins.clone();
        Arrays.fill(bins, 0);
        int oldOffset = signed ? BINS / 2 : 0;
        int newOffset = newSigned ? BINS / 2 : 0;
        for (int k = 0; k < BINS; k++) {
            if (old[k] != 0) {
                bins[((k - oldOffset) >> shift) + newOffset] += old[k]; // >> floors negative positions too
            }
        }
        exponent = newExponent;
        signed = newSigned;
    }

    /** The smallest e (at least {@link #MIN_EXPONENT}) with 2^e strictly above every |x| in [lo, hi]. */
    static int exponentFor(float lo, float hi) {
        float a = Math.max(Math.abs(lo), Math.abs(hi));
        return Math.max(MIN_EXPONENT, Math.getExponent(a) + 1);
    }

    private static int log2Bins(boolean signed) {
        return Integer.numberOfTrailingZeros(BINS) - (signed ? 1 : 0);
    }

    @Override
    public String toString() {
        return name + ": " + count + " values in [" + min + ", " + max + "]";
    }
}
