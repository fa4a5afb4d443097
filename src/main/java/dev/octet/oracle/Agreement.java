package dev.octet.oracle;

import dev.octet.ir.Tensor;
import java.util.Arrays;

/**
 * How closely one output of Octet matches the oracle's. The error is measured relative to the size of the
 * oracle's output as a whole, not element by element: {@code max_rel = max|a - b| / max(max|b|, tiny)}. An
 * element-wise relative error would call a difference of 1e-9 on a value of 1e-12 a failure, while what matters
 * for a network's output is the error against the scale the output lives at.
 *
 * @param output the output's name
 * @param maxAbs max |octet - oracle| over all elements (NaN where the shapes or types differ)
 * @param maxRel maxAbs relative to max |oracle|
 * @param tolerance the bound on maxRel
 * @param agree maxRel within tolerance, same dtype and shape, NaN exactly where the oracle has NaN
 * @param detail why they disagree, or ""
 */
public record Agreement(String output, double maxAbs, double maxRel, double tolerance, boolean agree,
        String detail) {

    /**
     * The tolerance Octet's float comparisons with ONNX Runtime use: 1e-4 of the output's magnitude. Octet's
     * reference accumulates in double and ONNX Runtime in float with its own summation order and fused kernels, so
     * results differ by float rounding propagated through the network; this bound is far below any error a wrong
     * operator makes and above the rounding noise of the eleven real models Octet is tested on.
     */
    public static final double FLOAT_TOLERANCE = 1e-4;

    /** The smallest magnitude a difference is divided by, so that all-zero outputs compare as relative 0. */
    private static final double TINY = 1e-30;

    /** The same numbers with another verdict and its reason (see {@link Comparison}). */
    Agreement explained(boolean nowAgree, String why) {
        return new Agreement(output, maxAbs, maxRel, tolerance, nowAgree, why);
    }

    /**
     * Compares an output of Octet with the oracle's: float types within {@code tolerance} relative to the oracle's
     * magnitude, integer and boolean types exactly.
     */
    public static Agreement of(String output, Tensor octet, Tensor oracle, double tolerance) {
        if (octet == null || oracle == null) {
            return new Agreement(output, Double.NaN, Double.NaN, tolerance, false,
                    (octet == null ? "Octet" : "the oracle") + " produced no value");
        }
        if (octet.dtype() != oracle.dtype() || !Arrays.equals(octet.shape(), oracle.shape())) {
            return new Agreement(output, Double.NaN, Double.NaN, tolerance, false,
                    "Octet gives " + octet.type() + ", the oracle " + oracle.type());
        }
        boolean exact = !octet.dtype().isFloat();
        double maxAbs = 0;
        double magnitude = 0;
        int nanMismatches = 0;
        for (int i = 0; i < octet.size(); i++) {
            double a = octet.getDouble(i);
            double b = oracle.getDouble(i);
            if (Double.isNaN(a) || Double.isNaN(b)) {
                nanMismatches += Double.isNaN(a) == Double.isNaN(b) ? 0 : 1;
                continue;
            }
            if (Double.isInfinite(a) || Double.isInfinite(b)) {
                if (a != b) {
                    maxAbs = Double.POSITIVE_INFINITY;
                }
                continue;
            }
            maxAbs = Math.max(maxAbs, Math.abs(a - b));
            magnitude = Math.max(magnitude, Math.abs(b));
        }
        double maxRel = maxAbs / Math.max(magnitude, TINY);
        double bound = exact ? 0 : tolerance;
        boolean agree = nanMismatches == 0 && maxRel <= bound;
        String detail = nanMismatches > 0 ? nanMismatches + " elements are NaN in one result only"
                : agree ? "" : String.format("max_rel %.3g exceeds %.3g (the output's magnitude is %.3g)", maxRel,
                        bound, magnitude);
        return new Agreement(output, maxAbs, maxRel, bound, agree, detail);
    }
}
