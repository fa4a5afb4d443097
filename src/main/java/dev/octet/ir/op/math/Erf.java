package dev.octet.ir.op.math;

import dev.octet.ir.op.OpContext;
import java.util.function.DoubleUnaryOperator;

/** ONNX Erf: the Gauss error function. */
final class Erf extends UnaryOp {
    Erf() {
        super("Erf", Elementwise.FLOATS);
    }

    @Override
    DoubleUnaryOperator onFloats(OpContext ctx) {
        return Erf::erf;
    }

    /**
     * erf(x) = 2/√π · e^(-x²) · Σ 2ⁿ x^(2n+1) / (1·3·5···(2n+1)). Every term is positive, so the sum has no
     * cancellation and the result is good to a few units in the last place of a double, far beyond float needs.
     * Beyond |x| = 6, erf is ±1 to double precision (erfc(6) ≈ 2e-17).
     */
    static double erf(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        double a = Math.abs(x);
        if (a >= 6) {
            return Math.signum(x);
        }
        double term = a;
        double sum = a;
        for (int n = 1; term > sum * 1e-17; n++) {
            term *= 2 * a * a / (2 * n + 1);
            sum += term;
        }
        return Math.copySign(2 / Math.sqrt(Math.PI) * Math.exp(-a * a) * sum, x);
    }
}
