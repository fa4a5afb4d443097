package dev.octet.bundle;

import dev.octet.ir.Tensor;
import java.util.Random;

/** Random float inputs in [-1, 1) for bundle tests. */
public final class BundleTestInputs {
    private BundleTestInputs() {
    }

    public static Tensor random(int[] shape, long seed) {
        Random r = new Random(seed);
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        float[] x = new float[n];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return Tensor.ofFloats(shape, x);
    }
}
