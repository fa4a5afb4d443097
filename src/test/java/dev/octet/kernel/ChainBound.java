package dev.octet.kernel;

import dev.octet.kernel.ElementwiseChain.Operand;
import java.util.List;

/**
 * The error bound of an fp32 elementwise chain against the reference applied op by op, derived from the
 * computation (DESIGN.md invariant 2), with u = 2^-24. For each element, e bounds |kernel − reference| after each
 * operation; an operation f with Lipschitz constant L on the interval the kernel's input can lie in, computed by
 * the kernel with a local error ℓ, gives e' = L·e + ℓ + u·|r'| (the last term: the reference's own rounding of r').
 * <ul>
 * <li>+ − × ÷ by an operand b: L = 1, 1, |b|, 1/|b| (reversed ÷ comes first, where e = 0); ℓ = u·|f(kernel input)|.
 * Where e is 0 the kernel's result is the reference's bit for bit, so e stays 0.
 * <li>ReLU, Clip: L = 1, ℓ = 0 (a selection).
 * <li>Sigmoid 1/(1 + expf(−x)): L = 1/4; glibc's expf is within 1 ulp (2u relative), the add and the division add
 * u each: ℓ = 4u·|σ|.
 * <li>HardSigmoid clamp(α·x + β): L = |α|; two roundings before the clamp: ℓ = 2u·(|α·x| + |β|).
 * <li>HardSwish x·clamp(x/6 + 1/2): L = 3/2 (the slope is x/3 + 1/2 on [−3, 3], 0 or 1 outside); the clamp's
 * argument has two roundings, u·(|x|/3 + 1/2), scaled by |x|, then the product's: ℓ = u·|x|·(|x|/3 + 3/2).
 * </ul>
 * Float.MIN_NORMAL is added once for results below the normal range (Sigmoid of a very negative x).
 */
final class ChainBound {
    private static final double U = Math.pow(2, -24);

    private ChainBound() {
    }

    /** Null if every element of {@code actual} is within its bound, else the first violation. */
    static String check(ElementwiseChain chain, ChainReference ref, float[] actual) {
        int n = actual.length;
        List<Operand> kinds = chain.operands();
        for (int i = 0; i < n; i++) {
            double e = 0;
            double prev = ref.input()[i];
            int k = 0;
            for (int s = 0; s < chain.ops().size(); s++) {
                double r = ref.steps().get(s)[i];
                double m = Math.abs(prev) + e; // the largest |input| the kernel can see
                e = switch (chain.ops().get(s)) {
                    case ElementwiseChain.Binary b -> {
                        double v = Math.abs(ref.operands().get(k)[index(kinds.get(k), i, ref.shape())]);
                        k++;
                        if (e == 0) {
                            yield 0;
                        }
                        double lip = switch (b.kind()) {
                            case ADD, SUB -> 1;
                            case MUL -> v;
                            case DIV -> 1 / v;
                        };
                        yield lip * e + U * (Math.abs(r) + lip * e) + U * Math.abs(r);
                    }
                    case ElementwiseChain.Relu x -> e;
                    case ElementwiseChain.Clip x -> e;
                    case ElementwiseChain.Sigmoid x -> e / 4 + 4 * U * (Math.abs(r) + e / 4) + U * Math.abs(r);
                    case ElementwiseChain.HardSigmoid h -> Math.abs(h.alpha()) * e
                            + 2 * U * (Math.abs(h.alpha()) * m + Math.abs(h.beta())) + U * Math.abs(r);
                    case ElementwiseChain.HardSwish h -> 1.5 * e + U * m * (m / 3 + 1.5) + U * Math.abs(r);
                };
                prev = r;
            }
            double bound = e + Float.MIN_NORMAL;
            double err = Math.abs((double) actual[i] - ref.result()[i]);
            if (actual[i] != ref.result()[i] && !(err <= bound)) {
                return "element " + i + " is " + actual[i] + ", reference " + ref.result()[i] + ": error " + err
                        + " exceeds the bound " + bound;
            }
        }
        return null;
    }

    /** The operand element read for output element i (NCHW, planes of H·W). */
    private static int index(Operand kind, int i, int[] shape) {
        int hw = shape[2] * shape[3];
        return switch (kind) {
            case FULL -> i;
            case CHANNEL -> (i / hw) % shape[1];
            case PLANE -> i / hw;
            case SCALAR -> 0;
        };
    }
}
