package dev.octet.verify;

/**
 * The error bound a correct fp32 kernel meets (DESIGN.md invariant 2): for an output that is a sum of K products
 * accumulated in fp32 in any order, |y − y_exact| ≤ K · u · Σ|a·b| with u = 2^-24, plus one rounding of the result
 * and of each fused epilogue step. Σ|a·b| is computed by running the reference on |inputs|, so the bound follows
 * the computation, not a tolerance picked to make a test pass.
 */
public final class FloatBound {
    /** Unit roundoff of fp32. */
    public static final double U32 = Math.pow(2, -24);

    private FloatBound() {
    }

    /**
     * Null if every element is within its bound, else the first violation.
     *
     * @param reduction K, the number of products summed into each output
     * @param exact the reference result (in double, then rounded once to f32)
     * @param magnitude the reference result on absolute values, Σ|a·b| (+|bias|) per output
     * @param roundings further roundings after the sum (epilogue steps), each costing u·|y|
     */
    public static String check(float[] actual, float[] exact, float[] magnitude, int reduction, int roundings) {
        for (int i = 0; i < actual.length; i++) {
            double bound = (reduction + roundings + 1) * U32 * Math.abs(magnitude[i]) + Float.MIN_NORMAL;
            double err = Math.abs((double) actual[i] - exact[i]);
            if (!(err <= bound)) {
                return "element " + i + " is " + actual[i] + ", reference " + exact[i] + ": error " + err
                        + " exceeds the bound " + bound;
            }
        }
        return null;
    }
}
