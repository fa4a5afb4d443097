package dev.octet.quant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The KL range on synthetic distributions shaped like real activations, in particular the one that broke PP-OCRv4
 * rec: HardSwish followed by a learned affine (PP-LCNetV3), whose short negative side holds most of the values.
 */
class KlDivergenceObserverTest {
    private static final KlDivergenceObserver KL = new KlDivergenceObserver();

    private static TensorStatistics of(float[] values) {
        TensorStatistics s = new TensorStatistics("t");
        s.add(values);
        return s;
    }

    /**
     * Like PP-OCRv4 rec's p2o.Add.103: HardSwish(x)·a + b with most x below −3, so 84% of the values crowd into
     * [b − 0.005, b] (b = −0.044: HardSwish's flat zero, moved) with a cliff at b, and the rest a long positive tail
     * (exponential, mean 0.05, up to about 0.4). {@code sign} −1 mirrors it.
     */
    private static float[] shiftedHardSwish(int n, float sign, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            double v = r.nextDouble() < 0.84 ? -0.044 + 0.005 * Math.pow(r.nextDouble(), 4)
                    : -0.03 - 0.05 * Math.log(1 - r.nextDouble());
            x[i] = (float) (sign * Math.min(v, 0.42));
        }
        return x;
    }

    @Test
    void aOneSidedLongTailedTensorKeepsItsShortSideAndMostOfItsTail() {
        TensorStatistics s = of(shiftedHardSwish(1_000_000, 1, 3));
        TensorRange r = KL.range(s);
        // the dense short side is never clipped: its end is the observed min
        assertThat(r.min()).isEqualTo(s.min());
        // the tail is clipped where it thins out, not at the cliff: the old search on |x| with 128 levels chose
        // max = -min = 0.044 here, clipping 3.6% of the values (this search: about 0.11 and 0.9%)
        assertThat(r.max()).isGreaterThan(2 * -s.min()).isLessThanOrEqualTo(s.max());
        assertThat(ActivationHistogram.clippedFraction(s, r)).isLessThan(0.015);
    }

    @Test
    void theMirrorImageGetsTheMirrorRange() {
        TensorStatistics up = of(shiftedHardSwish(1_000_000, 1, 3));
        TensorStatistics down = of(shiftedHardSwish(1_000_000, -1, 3));
        TensorRange a = KL.range(up);
        TensorRange b = KL.range(down);
        assertThat(b.max()).isEqualTo(down.max());
        // not bin for bin: floor(v / w) and floor(-v / w) put a value and its mirror image in bins that are not
        // mirror images, and the KL curve is flat near its minimum
        assertThat((double) -b.min()).isCloseTo(a.max(), within(0.3 * a.max()));
    }

    @Test
    void aSymmetricGaussianGetsASymmetricThresholdOfAFewSigma() {
        Random r = new Random(5);
        float[] x = new float[1_000_000];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        x[7] = 30;
        x[8] = -30;
        TensorStatistics s = of(x);
        TensorRange range = KL.range(s);
        assertThat(range.max()).isBetween(2.5f, 8f);
        assertThat(range.min()).isEqualTo(-range.max());
        assertThat(ActivationHistogram.clippedFraction(s, range)).isLessThan(0.01);
    }

    @Test
    void aReluOutputIsNotDecidedByItsSpikeOfZeros() {
        Random r = new Random(7);
        float[] x = new float[1_000_000];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.max(0, r.nextGaussian()); // half of the values exactly 0
        }
        x[9] = 30;
        TensorStatistics s = of(x);
        TensorRange range = KL.range(s);
        assertThat(range.min()).isZero();
        assertThat(range.max()).isBetween(2.5f, 8f);
    }

    @Test
    void aSignedTensorWithOneLongTailClipsOnlyThatTail() {
        // N(0, 1) below zero, N(0, 1) with a heavy tail to 60 above: [-t, t] until t passes the short side's end
        Random r = new Random(9);
        float[] x = new float[1_000_000];
        for (int i = 0; i < x.length; i++) {
            double g = r.nextGaussian();
            x[i] = (float) (g < 0 ? Math.max(g, -3) : g * (r.nextDouble() < 0.001 ? 20 : 1));
        }
        TensorStatistics s = of(x);
        TensorRange range = KL.range(s);
        assertThat(range.min()).isEqualTo(s.min());
        assertThat(range.max()).isGreaterThan(-s.min()).isLessThan(s.max());
    }

    @Test
    void theSparseTailThatCarriesTheSignalIsNotClippedForTheMassOfTheShortSide() {
        // 70% of the values in the short side [-0.035, 0], 29% |N(0, 0.1)|, 1% |N(0, 1.5)|: the 1% are the signal.
        // With the short side's mass in P, KL clipped at about 1.4 (0.35% of the values, 15% of the energy).
        Random r = new Random(13);
        float[] x = new float[1_000_000];
        for (int i = 0; i < x.length; i++) {
            double u = r.nextDouble();
            x[i] = (float) (u < 0.7 ? -0.035 * Math.pow(r.nextDouble(), 0.3)
                    : Math.abs(r.nextGaussian()) * (u < 0.99 ? 0.1 : 1.5));
        }
        TensorStatistics s = of(x);
        TensorRange range = KL.range(s);
        assertThat(range.min()).isEqualTo(s.min());
        double energy = 0;
        double clipped = 0;
        for (float v : x) {
            energy += v * v;
            clipped += v > range.max() ? (v - range.max()) * (v - range.max()) : 0;
        }
        assertThat(clipped / energy).as("energy clipped at %s", range.max()).isLessThan(0.01);
        assertThat(range.max()).isGreaterThan(3f);
    }

    @Test
    void tooFewValuesForAHistogramKeepTheObservedRange() {
        // like PP-OCR cls's squeeze-excitation FC output: 512 values, all negative, far from zero
        Random r = new Random(17);
        float[] x = new float[512];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (-0.76 - 1.2 * r.nextDouble());
        }
        TensorStatistics s = of(x);
        assertThat(KL.range(s)).isEqualTo(new TensorRange(s.min(), 0));
    }

    @Test
    void aOneSidedRangeNeverEndsInsideTheShortSidesExtent() {
        // short side [-0.14, 0] a fifth of the long one, most of the mass near zero on both sides
        Random r = new Random(19);
        float[] x = new float[200_000];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (r.nextBoolean() ? -0.14 * Math.pow(r.nextDouble(), 3) : 0.82 * Math.pow(r.nextDouble(), 6));
        }
        TensorStatistics s = of(x);
        TensorRange range = KL.range(s);
        assertThat(range.min()).isEqualTo(s.min());
        assertThat(range.max()).isGreaterThanOrEqualTo(-s.min());
    }
}
