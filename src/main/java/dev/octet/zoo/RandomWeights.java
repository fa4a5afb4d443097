package dev.octet.zoo;

import dev.octet.ir.Tensor;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * The zoo's random weights, all drawn from one fixed-seed {@link Random} so that a build is reproducible bit for
 * bit. Large tensors draw from a {@link SplittableRandom} seeded by it: the same values for the same seed, about
 * fifteen times faster than Random.nextGaussian (VGG-16 draws 138 million).
 */
final class RandomWeights {
    /** BatchNormalization's four inputs after X. */
    record BatchNormStats(float[] gamma, float[] beta, float[] mean, float[] var) {
    }

    private final Random random;

    RandomWeights(long seed) {
        this.random = new Random(seed);
    }

    /** Normal values of the given standard deviation, in the given shape. */
    Tensor normal(double std, int... shape) {
        int n = 1;
        for (int d : shape) {
            n = Math.multiplyExact(n, d);
        }
        SplittableRandom values = new SplittableRandom(random.nextLong());
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            f[i] = (float) (std * values.nextGaussian());
        }
        return Tensor.ofFloats(shape, f);
    }

    /** A vector of values uniform in (-bound, bound), as PyTorch initialises biases (bound 1/√fan_in). */
    Tensor uniform(double bound, int n) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            f[i] = (float) (bound * (2 * random.nextDouble() - 1));
        }
        return Tensor.ofFloats(new int[] {n}, f);
    }

    /**
     * Running mean ~ N(0, 0.1), running variance ~ U(0.5, 1.5), β ~ N(0, 0.1), and γ such that the factor a
     * channel is scaled by, γ/√(var + ε), is gammaScale·U(0.5, 1.5)/√(13/12), of mean square gammaScale². With
     * He-normal convolutions that keeps the mean square of activations about constant with depth. (Running
     * statistics estimated from the weights were tried and are unstable: an error in an estimated mean, e.g. after
     * a max pool, compounds from layer to layer.)
     */
    BatchNormStats batchNorm(int channels, double epsilon, double gammaScale) {
        float[] gamma = new float[channels];
        float[] beta = new float[channels];
        float[] mean = new float[channels];
        float[] var = new float[channels];
        for (int i = 0; i < channels; i++) {
            double scale = gammaScale * (0.5 + random.nextDouble()) / Math.sqrt(13.0 / 12);
            var[i] = (float) (0.5 + random.nextDouble());
            gamma[i] = (float) (scale * Math.sqrt(var[i] + epsilon));
            beta[i] = (float) (0.1 * random.nextGaussian());
            mean[i] = (float) (0.1 * random.nextGaussian());
        }
        return new BatchNormStats(gamma, beta, mean, var);
    }
}
