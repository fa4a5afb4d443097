package dev.octet.eval;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * An estimate with its 95% confidence interval, as fractions (0..1).
 *
 * @param estimate the measured value
 * @param low lower end of the interval
 * @param high upper end
 */
public record ConfidenceInterval(double estimate, double low, double high) {
    private static final double Z95 = 1.959963984540054;

    /** Wilson's score interval for a proportion of {@code successes} in {@code n} trials (good near 0 and 1). */
    public static ConfidenceInterval wilson(long successes, long n) {
        if (n <= 0) {
            return new ConfidenceInterval(Double.NaN, 0, 1);
        }
        double p = (double) successes / n;
        double z2 = Z95 * Z95;
        double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
        double half = Z95 * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n)) / (1 + z2 / n);
        return new ConfidenceInterval(p, Math.max(0, centre - half), Math.min(1, centre + half));
    }

    /**
     * A percentile bootstrap interval for a ratio of sums, Σ numerators / Σ denominators, resampling the items
     * (e.g. text lines: correct characters over characters), 2000 resamples from a fixed seed.
     */
    public static ConfidenceInterval bootstrapRatio(double[] numerators, double[] denominators, long seed) {
        int n = numerators.length;
        double num = 0;
        double den = 0;
        for (int i = 0; i < n; i++) {
            num += numerators[i];
            den += denominators[i];
        }
        double estimate = den == 0 ? Double.NaN : num / den;
        if (n < 2) {
            return new ConfidenceInterval(estimate, 0, 1);
        }
        int resamples = 2000;
        double[] stats = new double[resamples];
        SplittableRandom r = new SplittableRandom(seed);
        for (int b = 0; b < resamples; b++) {
            double sn = 0;
            double sd = 0;
            for (int i = 0; i < n; i++) {
                int k = r.nextInt(n);
                sn += numerators[k];
                sd += denominators[k];
            }
            stats[b] = sd == 0 ? 0 : sn / sd;
        }
        Arrays.sort(stats);
        return new ConfidenceInterval(estimate, stats[(int) (0.025 * resamples)],
                stats[(int) Math.ceil(0.975 * resamples) - 1]);
    }

    /**
     * A percentile bootstrap interval for the difference of two ratios measured on the same items, Σa/Σda −
     * Σb/Σdb: the items are resampled together, so what both models get right or wrong alike cancels. This is
     * the interval to read a fp32-vs-int8 drop from: far narrower than the two separate intervals suggest.
     */
    public static ConfidenceInterval bootstrapPairedDifference(double[] a, double[] da, double[] b, double[] db,
            long seed) {
        int n = a.length;
        if (da.length != n || b.length != n || db.length != n) {
            throw new IllegalArgumentException("paired samples differ in number: " + n + ", " + da.length + ", "
                    + b.length + ", " + db.length);
        }
        double estimate = ratio(a, da, null) - ratio(b, db, null);
        if (n < 2) {
            return new ConfidenceInterval(estimate, -1, 1);
        }
        int resamples = 2000;
        double[] stats = new double[resamples];
        SplittableRandom r = new SplittableRandom(seed);
        int[] pick = new int[n];
        for (int k = 0; k < resamples; k++) {
            for (int i = 0; i < n; i++) {
                pick[i] = r.nextInt(n);
            }
            stats[k] = ratio(a, da, pick) - ratio(b, db, pick);
        }
        Arrays.sort(stats);
        return new ConfidenceInterval(estimate, stats[(int) (0.025 * resamples)],
                stats[(int) Math.ceil(0.975 * resamples) - 1]);
    }

    private static double ratio(double[] num, double[] den, int[] pick) {
        double sn = 0;
        double sd = 0;
        for (int i = 0; i < num.length; i++) {
            int k = pick == null ? i : pick[i];
            sn += num[k];
            sd += den[k];
        }
        return sd == 0 ? 0 : sn / sd;
    }

    /** Half the interval's width: the "±" of a report. */
    public double halfWidth() {
        return (high - low) / 2;
    }

    /** "97.20% [95.6, 98.3]" */
    @Override
    public String toString() {
        return String.format("%.2f%% [%.1f, %.1f]", 100 * estimate, 100 * low, 100 * high);
    }
}
