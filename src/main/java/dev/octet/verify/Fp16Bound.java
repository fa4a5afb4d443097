package dev.octet.verify;

/**
 * The error bound a correct fp16-storage kernel with fp32 accumulation meets (DESIGN.md invariant 2, built on the
 * accumulation type): inputs are fp16 values (exact in fp32, and their products too: 11 + 11 significand bits), so
 * the only errors are the K − 1 fp32 additions of the sum and the one rounding of the result to fp16:
 *
 * <pre>
 *   |y − y_ref| ≤ γ_K · Σ|x·w|  +  2^-11 · (|y_ref| + γ_K · Σ|x·w|)  +  2^-25,     γ_K = K·u / (1 − K·u), u = 2^-24
 * </pre>
 *
 * the first term for any summation order, split or blocking of the fp32 sum (Higham, Accuracy and Stability of
 * Numerical Algorithms, 2nd ed., §3.1 and §4.2), the second the relative rounding to fp16 of the computed sum, the
 * third half the spacing of fp16's subnormals, the absolute error of rounding into that range. {@code y_ref} is the
 * reference in double. An fp16 accumulator (unit roundoff 2^-11 per addition) breaks it: its γ_K is 8192 times
 * larger, which is the point — a loop reorder may change the summation order, never the accumulation type.
 * A result beyond fp16's range rounds to infinity and fails, as it should: a workload whose sums overflow fp16
 * has no correct fp16 output.
 */
public final class Fp16Bound {
    /** Unit roundoff of fp32, the accumulation type. */
    public static final double U32 = Math.pow(2, -24);
    /** Unit roundoff of fp16, the storage type: one rounding of the result. */
    public static final double U16 = Math.pow(2, -11);
    /** Half the spacing of fp16 subnormals (2^-24 apart): the absolute error of a result rounded into them. */
    public static final double SUBNORMAL_HALF_SPACING = Math.pow(2, -25);

    private Fp16Bound() {
    }

    /**
     * The bound of one output.
     *
     * @param exact the reference value, in double
     * @param magnitude Σ|x·w| over the output's terms
     * @param reduction K, the number of products summed
     */
    public static double of(double exact, double magnitude, int reduction) {
        double ku = reduction * U32;
        if (ku >= 1) {
            throw new IllegalArgumentException("a sum of " + reduction + " fp32 terms has no useful bound");
        }
        double accumulation = ku / (1 - ku) * Math.abs(magnitude);
        return accumulation + U16 * (Math.abs(exact) + accumulation) + SUBNORMAL_HALF_SPACING;
    }

    /**
     * Null if every element is within its bound, else the first violation.
     *
     * @param actual the kernel's fp16 outputs, widened to float (exactly)
     * @param exact the reference, in double
     * @param magnitude Σ|x·w| per output (the reference on absolute values)
     */
    public static String check(float[] actual, double[] exact, double[] magnitude, int reduction) {
        for (int i = 0; i < actual.length; i++) {
            double bound = of(exact[i], magnitude[i], reduction);
            double err = Math.abs(actual[i] - exact[i]);
            if (!(err <= bound)) {
                return "element " + i + " is " + actual[i] + ", reference " + exact[i] + ": error " + err
                        + " exceeds the bound " + bound + " (fp32 accumulation of " + reduction
                        + " terms, one fp16 rounding)";
            }
        }
        return null;
    }

    /** The largest error / bound over the elements (≤ 1 where {@link #check} passes; NaN or ∞ counts as ∞). */
    public static double worstRatio(float[] actual, double[] exact, double[] magnitude, int reduction) {
        double worst = 0;
        for (int i = 0; i < actual.length; i++) {
            double r = Math.abs(actual[i] - exact[i]) / of(exact[i], magnitude[i], reduction);
            worst = Double.isNaN(r) ? Double.POSITIVE_INFINITY : Math.max(worst, r);
        }
        return worst;
    }
}
