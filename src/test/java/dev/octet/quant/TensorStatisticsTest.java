package dev.octet.quant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.octet.ir.OctetException;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Statistics are a function of the values seen, not of how they were split into images or merged: the histogram
 * widens by exact merges of bin pairs, so any split gives the same bins.
 */
class TensorStatisticsTest {
    /** Non-negative first, then signed values, then an outlier that doubles the range several times. */
    private static float[][] chunks() {
        Random r = new Random(7);
        float[][] c = new float[5][];
        for (int i = 0; i < c.length; i++) {
            c[i] = new float[1000 + 37 * i];
            for (int k = 0; k < c[i].length; k++) {
                double g = r.nextGaussian() * (i + 1);
                c[i][k] = (float) (i < 2 ? Math.abs(g) : g);
            }
        }
        c[3][5] = 1000.5f;
        c[4][9] = -3e-3f;
        return c;
    }

    @Test
    void theSameValuesGiveTheSameHistogramHoweverTheyAreSplitAndMerged() {
        float[][] c = chunks();
        TensorStatistics all = new TensorStatistics("t");
        all.add(Arrays.stream(c).reduce(new float[0], TensorStatisticsTest::concat));
        TensorStatistics oneByOne = new TensorStatistics("t");
        for (float[] x : c) {
            oneByOne.add(x);
        }
        TensorStatistics mergedBackwards = new TensorStatistics("t");
        for (int i = c.length - 1; i >= 0; i--) {
            TensorStatistics part = new TensorStatistics("t");
            part.add(c[i]);
            mergedBackwards.merge(part);
        }
        TensorStatistics twoHalves = new TensorStatistics("t");
        twoHalves.add(concat(c[3], c[4]));
        TensorStatistics first = new TensorStatistics("t");
        first.add(concat(concat(c[0], c[1]), c[2]));
        first.merge(twoHalves);
        assertThat(oneByOne.sameAs(all)).isTrue();
        assertThat(mergedBackwards.sameAs(all)).isTrue();
        assertThat(first.sameAs(all)).isTrue();
        assertThat(all.count()).isEqualTo(Arrays.stream(c).mapToInt(x -> x.length).sum());
        assertThat(all.min()).isNegative();
        assertThat(all.max()).isEqualTo(1000.5f);
        assertThat(all.extent()).isEqualTo(1024);
        assertThat(Arrays.stream(all.bins()).sum()).isEqualTo(all.count());
    }

    @Test
    void eachValueLandsInTheBinThatHoldsIt() {
        TensorStatistics s = new TensorStatistics("t");
        float[] x = {-2.5f, -0.001f, 0f, 0.75f, 3.99f};
        s.add(x);
        assertThat(s.isNonNegative()).isFalse();
        assertThat(s.extent()).isEqualTo(4);
        long[] bins = s.bins();
        for (float v : x) {
            int k = (int) Math.floor((v - (-s.extent())) / s.binWidth());
            assertThat(bins[k]).as("bin of " + v).isEqualTo(1);
            assertThat(s.binStart(k)).isLessThanOrEqualTo(v);
            assertThat(s.binStart(k + 1)).isGreaterThan(v);
        }
        assertThat(Arrays.stream(s.magnitudes()).sum()).isEqualTo(5);
    }

    @Test
    void aNonFiniteValueIsRefusedNamingTheTensor() {
        TensorStatistics s = new TensorStatistics("conv3_out");
        assertThatThrownBy(() -> s.add(new float[] {1, Float.NaN})).isInstanceOf(OctetException.class)
                .hasMessageContaining("'conv3_out'").hasMessageContaining("NaN");
        assertThatThrownBy(() -> s.add(new float[] {Float.NEGATIVE_INFINITY})).isInstanceOf(OctetException.class)
                .hasMessageContaining("'conv3_out'");
        assertThat(s.count()).isZero();
    }

    static float[] concat(float[] a, float[] b) {
        float[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
