package dev.octet.quant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The plotted histogram keeps every value; the clipped fraction is the share of values beyond the range. */
class ActivationHistogramTest {
    private static float[] values(boolean signed) {
        Random r = new Random(3);
        float[] v = new float[20000];
        for (int i = 0; i < v.length; i++) {
            double g = r.nextGaussian() * 1.5;
            v[i] = (float) (signed ? g : Math.abs(g));
        }
        return v;
    }

    @Test
    void coarseBinsKeepEveryValueAndSpanRangeAndValues() {
        for (boolean signed : new boolean[] {false, true}) {
            float[] v = values(signed);
            TensorStatistics s = new TensorStatistics("t");
            s.add(v);
            TensorRange chosen = new TensorRange(signed ? -2f : 0f, 9f); // wider than the values on the right
            ActivationHistogram h = ActivationHistogram.of(s, chosen, 50);
            assertThat(h.counts()).hasSize(50);
            assertThat(Arrays.stream(h.counts()).sum()).isEqualTo(v.length);
            assertThat(h.hi()).isEqualTo(9.0);
            assertThat(h.lo()).isEqualTo(signed ? s.min() : 0.0);
            assertThat(h.observedMax()).isEqualTo(s.max());
            assertThat(h.rangeMax()).isEqualTo(9.0);
        }
    }

    @Test
    void clippedFractionIsTheShareBeyondTheRange() {
        float[] v = values(true);
        TensorStatistics s = new TensorStatistics("t");
        s.add(v);
        assertThat(ActivationHistogram.clippedFraction(s, new TensorRange(s.min(), s.max()))).isZero();
        TensorRange narrow = new TensorRange(-1f, 2f);
        long beyond = 0;
        for (float x : v) {
            if (x < -1f || x > 2f) {
                beyond++;
            }
        }
        assertThat(ActivationHistogram.clippedFraction(s, narrow)).isCloseTo((double) beyond / v.length,
                within(0.002)); // bins 2^-10 wide: only values within half a bin of an end may be counted wrong
    }
}
