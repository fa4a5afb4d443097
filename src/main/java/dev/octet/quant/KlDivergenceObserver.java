package dev.octet.quant;

/**
 * The clipping range whose quantized distribution loses the least information: TensorRT's entropy calibration
 * (Migacz, "8-bit Inference with TensorRT", 2017; the algorithm of TensorRT's pytorch-quantization
 * {@code _compute_amax_entropy} and MXNet's {@code _get_optimal_threshold}), on the grid Octet actually quantizes
 * to: {@value #LEVELS} levels spread over a range [lo, hi] that contains 0 (activations are affine, u8 or s8 alike;
 * {@code QuantMath.fromRange}).
 *
 * <p>The search runs on the signed histogram, not on the histogram of |x|, in one of two ways:
 * <ul>
 *   <li>A <em>one-sided</em> tensor (one side of zero spans at most 1/{@value #ONE_SIDED} of the other: a ReLU
 *       output, HardSwish after PP-LCNetV3's learned affine) keeps its short side whole, and the long side is
 *       clipped at the t minimising KL over the long side alone, with the levels it gets of the {@value #LEVELS}
 *       over [short end, t]. This is TensorRT's search for a ReLU output, whose negative side collapses into the
 *       zeros it leaves out; the short side here is the same activation floor, moved off zero.</li>
 *   <li>Otherwise each candidate is a magnitude t: the range is [max(min, −t), min(max, t)], {@value #LEVELS}
 *       levels over it (MXNet's signed search, with Octet's affine grid).</li>
 * </ul>
 * For a candidate, P is the histogram over the bins searched with everything beyond either end added to that
 * end's bin; Q quantizes those bins into the levels, spreading each level's count evenly over its non-empty bins.
 * The range is the candidate minimising KL(P‖Q) (the widest on a tie), among at most {@value #CANDIDATES} evenly
 * spaced candidates that always include the observed range. As TensorRT does, the bins holding exact zeros (the
 * first bin on each side of 0) are given their outer neighbours' counts first, so the spike of zeros after a ReLU
 * does not decide the range.
 *
 * <p>Why not |x| with 128 levels (TensorRT's symmetric int8 setting, this class's first version): in PP-OCRv4 rec,
 * 84% of p2o.Add.103's values sit in [−0.044, 0] with 6.7% in the single bin at −0.044 (max 0.417); folded onto
 * |x| that cliff is where KL is least (0.017 nats against 0.17 two bins further: the clipped tail merges into a
 * bin already holding far more mass), so it was clipped at 0.044, 2.4% of its values; now [−0.044, 0.361]. And
 * why the one-sided rule: with the short side's mass in P, KL is dominated by it (69% of p2o.Add.199's values
 * lie in [−0.035, 0]) and clips the long tail, which is sparse but holds the signal: p2o.Add.127 went to
 * [−0.043, 0.448] of max 2.79 (0.8% of values clipped, SQNR 5 dB against 32 dB for the 99.99th percentile); over
 * the long side alone, [−0.043, 2.12].
 *
 * <p>KL counts mass, not distance: where a few far values carry most of a tensor's energy it still clips them
 * (p2o.Add.199: [−0.035, 0.77] of max 6.96, 0.4% of values, SQNR 5 dB; the first conv's output, whose constant
 * background puts 5% of its values in two bins at −3.2, is clipped there: 7% of values, SQNR 7 dB). That is the
 * method, not a bug; the float fallback or another method is the answer for such layers.
 *
 * <p>With prefix sums over the histogram each candidate costs one pass over the levels, not over the bins: KL = Σ p
 * ln p − Σ p ln q, the first a prefix sum, the second one term per level.
 */
public final class KlDivergenceObserver implements Observer {
    /** At most this many candidate ranges, evenly spaced (TensorRT tries every bin of 2048). */
    static final int CANDIDATES = 2048;
    /** Quantization levels of the range: 8-bit affine, u8 or s8. */
    static final int LEVELS = 256;
    /**
     * A tensor is one-sided where one side of zero spans at most 1/{@value #ONE_SIDED} of the other (HardSwish after
     * an affine, a ReLU output: ratio 0): its short side is the activation's floor, not a tail to clip.
     */
    static final int ONE_SIDED = 4;
    /**
     * Fewer values than this (one per histogram bin) get their observed range: P and Q would be mostly empty bins
     * and KL would measure sampling noise. PP-OCR cls's squeeze-excitation FCs see 2-8 values per image; on 64
     * images KL clipped relu_2 (128 values) at 1.66 of 2.36, half of them, and an all-negative FC output (512
     * values in [−1.98, −0.76]) at −0.76, all of them.
     */
    static final int MIN_VALUES = TensorStatistics.BINS;

    @Override
    public TensorRange range(TensorStatistics s) {
        Observer.requireRange(s);
        if (s.count() < MIN_VALUES) {
            return observed(s);
        }
        long[] h = s.bins();
        int zero = s.isNonNegative() ? 0 : h.length / 2; // the bin starting at 0
        int first = 0; // the first occupied bin, at most the zero bin: every range contains 0
        while (first < zero && h[first] == 0) {
            first++;
        }
        int last = h.length; // one past the last occupied bin, at least just past the zero bin
        while (last > zero + 1 && h[last - 1] == 0) {
            last--;
        }
        int n = Math.max(zero - first, last - zero); // candidate half-widths k run up to n
        if (last - first <= LEVELS) {
            return observed(s); // coarser than the levels already: nothing to gain
        }
        ignoreZeroSpike(h, zero, first, last);
        Prefix p = new Prefix(h);
        int below = zero - first;
        int above = last - zero;
        if (Math.min(below, above) * ONE_SIDED <= Math.max(below, above)) {
            return oneSided(s, p, zero, first, last, above >= below);
        }
        int bestLo = first;
        int bestHi = last;
        double bestDivergence = Double.POSITIVE_INFINITY;
        int stride = Math.max(1, n / CANDIDATES);
        for (int k = n; k >= 1; k -= stride) { // from the observed range down, so a tie keeps the wider range
            int lo = Math.max(first, zero - k);
            int hi = Math.min(last, zero + k);
            if (hi - lo < LEVELS) {
                break;
            }
            double d = p.divergence(lo, hi, first, last, LEVELS);
            if (d < bestDivergence) {
                bestDivergence = d;
                bestLo = lo;
                bestHi = hi;
            }
        }
        float min = bestLo == first ? s.min() : (float) Math.max(s.binStart(bestLo), s.min());
        float max = bestHi == last ? s.max() : (float) Math.min(s.binStart(bestHi), s.max());
        return new TensorRange(Math.min(min, 0), Math.max(max, 0));
    }

    /**
     * The range of a one-sided tensor: the short side kept whole, the long side clipped where KL over the long side
     * alone is least (TensorRT's search for a ReLU output, whose zeros are likewise left out), with the levels the
     * long side gets of the {@value #LEVELS} over [short end, t].
     */
    private static TensorRange oneSided(TensorStatistics s, Prefix p, int zero, int first, int last,
            boolean positive) {
        int shortBins = positive ? zero - first : last - zero;
        int n = positive ? last - zero : zero - first;
        int best = n;
        double bestDivergence = Double.POSITIVE_INFINITY;
        int stride = Math.max(1, n / CANDIDATES);
        for (int k = n; k >= 1; k -= stride) {
            int levels = (int) Math.round((double) LEVELS * k / (k + shortBins));
            if (k < levels || k < shortBins) {
                break; // t below the short side's extent: not this family (and too few levels to mean anything)
            }
            double d = positive ? p.divergence(zero, zero + k, zero, last, levels)
                    : p.divergence(zero - k, zero, first, zero, levels);
            if (d < bestDivergence) {
                bestDivergence = d;
                best = k;
            }
        }
        if (positive) {
            float max = best == n ? s.max() : (float) Math.min(s.binStart(zero + best), s.max());
            return new TensorRange(Math.min(s.min(), 0), Math.max(max, 0));
        }
        float min = best == n ? s.min() : (float) Math.max(s.binStart(zero - best), s.min());
        return new TensorRange(Math.min(min, 0), Math.max(s.max(), 0));
    }

    private static TensorRange observed(TensorStatistics s) {
        return new TensorRange(Math.min(s.min(), 0), Math.max(s.max(), 0));
    }

    /** TensorRT's bins[0] = bins[1], on each side of zero that has an outer neighbour in the occupied range. */
    private static void ignoreZeroSpike(long[] h, int zero, int first, int last) {
        if (zero + 1 < last) {
            h[zero] = h[zero + 1];
        }
        if (zero - 2 >= first) {
            h[zero - 1] = h[zero - 2];
        }
    }

    /** Prefix sums of count, of non-empty bins and of count·ln(count). */
    static final class Prefix {
        private final long[] h;
        private final long[] sum;
        private final int[] nonEmpty;
        private final double[] hLogH;

        Prefix(long[] h) {
            this.h = h;
            int n = h.length;
            sum = new long[n + 1];
            nonEmpty = new int[n + 1];
            hLogH = new double[n + 1];
            for (int k = 0; k < n; k++) {
                sum[k + 1] = sum[k] + h[k];
                nonEmpty[k + 1] = nonEmpty[k] + (h[k] != 0 ? 1 : 0);
                hLogH[k + 1] = hLogH[k] + (h[k] != 0 ? h[k] * Math.log(h[k]) : 0);
            }
        }

        /**
         * KL(P‖Q) in nats for keeping bins [lo, hi) (at least 2) of the occupied [first, last): infinite where Q is
         * 0 and P is not (clipped mass landing on an empty end bin).
         */
        double divergence(int lo, int hi, int first, int last, int levels) {
            double total = sum[last] - sum[first];
            long below = sum[lo] - sum[first];
            long above = sum[last] - sum[hi];
            long lowP = h[lo] + below;
            long highP = h[hi - 1] + above;
            if ((h[lo] == 0 && lowP > 0) || (h[hi - 1] == 0 && highP > 0)) {
                return Double.POSITIVE_INFINITY;
            }
            double logTotal = Math.log(total);
            // Σ p ln p (p = P / total): the inner bins from the prefix sums, then the two end bins
            double selfTerm = (hLogH[hi - 1] - hLogH[lo + 1] - (sum[hi - 1] - sum[lo + 1]) * logTotal) / total
                    + plogp(lowP, total) + plogp(highP, total);
            int width = hi - lo;
            double kept = sum[hi] - sum[lo];
            double cross = 0;
            for (int j = 0; j < levels; j++) {
                // bin lo+k belongs to level floor(k·levels / width): level j spans [ceil(j·w/levels), ceil((j+1)·w/levels))
                int start = lo + (int) ((j * (long) width + levels - 1) / levels);
                int stop = lo + (int) (((j + 1) * (long) width + levels - 1) / levels);
                long levelSum = sum[stop] - sum[start];
                int filled = nonEmpty[stop] - nonEmpty[start];
                if (levelSum == 0 || filled == 0) {
                    continue;
                }
                double logQ = Math.log((double) levelSum / filled / kept);
                double pMass = levelSum + (j == 0 ? below : 0) + (j == levels - 1 ? above : 0);
                cross += pMass / total * logQ;
            }
            return selfTerm - cross;
        }

        private static double plogp(long count, double total) {
            return count > 0 ? count / total * Math.log(count / total) : 0;
        }
    }
}
