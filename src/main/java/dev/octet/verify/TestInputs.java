package dev.octet.verify;

import java.util.Random;

/**
 * The input families every kernel is verified with (DESIGN.md, "Verification inputs"): random values, values at the
 * extremes of the kernel's declared domain, and small integers (|x| ≤ 4), for which every correct fp32 kernel is
 * exact in any summation order as long as partial sums stay below 2^24.
 */
public final class TestInputs {
    public enum Kind { RANDOM, EXTREME, SMALL_INTEGER }

    private TestInputs() {
    }

    public static float[] floats(Kind kind, int n, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = switch (kind) {
                case RANDOM -> (float) r.nextGaussian();
                case EXTREME -> r.nextBoolean() ? 1e4f : -1e4f;
                case SMALL_INTEGER -> r.nextInt(9) - 4;
            };
        }
        return x;
    }
}
