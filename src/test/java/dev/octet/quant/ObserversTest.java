package dev.octet.quant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.octet.ir.OctetException;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Each observer on distributions whose right answer is known or bounded. */
class ObserversTest {
    private static TensorStatistics of(float... values) {
        TensorStatistics s = new TensorStatistics("t");
        s.add(values);
        return s;
    }

    /**
     * A million N(0, 1) values (|x| where {@code magnitudes}) with two outliers at ±40. (MSE keeps heavier tails on
     * purpose: ten outliers at 40 cost more clipped than the coarser rounding of everything else.)
     */
    private static TensorStatistics gaussianWithOutliers(boolean magnitudes) {
        Random r = new Random(11);
        float[] x = new float[1_000_000];
        for (int i = 0; i < x.length; i++) {
            double g = r.nextGaussian();
            x[i] = (float) (magnitudes ? Math.abs(g) : g);
        }
        x[1000] = 40;
        x[2000] = magnitudes ? 40 : -40;
        return of(x);
    }

    @Test
    void maxIsTheObservedRangeWithZeroForNonNegativeTensors() {
        assertThat(new MaxObserver().range(of(-3, 0.5f, 5))).isEqualTo(new TensorRange(-3, 5));
        assertThat(new MaxObserver().range(of(1, 0.5f, 5))).isEqualTo(new TensorRange(0, 5));
    }

    @Test
    void powerOfTwoIsTheSmallestPowerAtOrAboveTheLargestMagnitude() {
        Observer pow2 = new PowerOfTwoObserver();
        assertThat(pow2.range(of(-3, 0.5f, 5))).isEqualTo(new TensorRange(-8, 8));
        assertThat(pow2.range(of(0, 4))).isEqualTo(new TensorRange(0, 4));
        assertThat(pow2.range(of(0, 4.0001f))).isEqualTo(new TensorRange(0, 8));
        assertThat(pow2.range(of(-0.3f, 0.1f))).isEqualTo(new TensorRange(-0.5f, 0.5f));
    }

    @Test
    void percentileCutsBothTailsWithinOneBin() {
        float[] up = new float[10000];
        float[] mid = new float[10000];
        for (int i = 0; i < up.length; i++) {
            up[i] = i;
            mid[i] = i - 5000;
        }
        TensorStatistics s = of(up);
        TensorRange r = new PercentileObserver(99).range(s);
        assertThat(r.min()).isZero();
        assertThat((double) r.max()).isCloseTo(9899, within(s.binWidth()));
        assertThat(new PercentileObserver(100).range(s)).isEqualTo(new TensorRange(0, 9999));
        TensorStatistics signed = of(mid);
        TensorRange both = new PercentileObserver(99).range(signed);
        assertThat((double) both.max()).isCloseTo(4899, within(signed.binWidth()));
        assertThat((double) both.min()).isCloseTo(-4900, within(signed.binWidth()));
        assertThatThrownBy(() -> new PercentileObserver(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void klAndMseClipAGaussianWellBelowItsOutliers() {
        for (boolean magnitudes : new boolean[] {false, true}) {
            TensorStatistics s = gaussianWithOutliers(magnitudes);
            String what = magnitudes ? " u8" : " s8";
            TensorRange kl = new KlDivergenceObserver().range(s);
            assertThat(kl.max()).as("kl" + what).isBetween(3f, 8f);
            assertThat(kl.min()).as("kl" + what).isEqualTo(magnitudes ? 0 : -kl.max());
            TensorRange mse = new MseObserver().range(s);
            assertThat(mse.max()).as("mse" + what).isBetween(3f, 30f);
            assertThat(mse.min()).as("mse" + what).isEqualTo(magnitudes ? 0 : -mse.max());
        }
    }

    @Test
    void mseClipsLessForU8WhoseRoundingIsFinerThanOneSideOfS8() {
        TensorStatistics signed = gaussianWithOutliers(false);
        TensorStatistics unsigned = gaussianWithOutliers(true);
        // the same magnitudes; 255 levels over [0, t] against 127 over [0, t]
        assertThat(new MseObserver().range(unsigned).max()).isGreaterThan(new MseObserver().range(signed).max());
    }

    @Test
    void klAndMseKeepTheMaxWhereNothingIsAnOutlier() {
        float[] uniform = new float[100_000];
        for (int i = 0; i < uniform.length; i++) {
            uniform[i] = i / 100_000f * 3;
        }
        TensorStatistics s = of(uniform);
        assertThat((double) new MseObserver().range(s).max()).isCloseTo(3, within(0.03));
        assertThat((double) new KlDivergenceObserver().range(s).max()).isCloseTo(3, within(0.03));
    }

    @Test
    void aTensorThatIsZeroEverywhereHasNoRange() {
        for (CalibrationMethod m : CalibrationMethod.values()) {
            assertThatThrownBy(() -> m.observer().range(of(0, 0, 0))).isInstanceOf(OctetException.class)
                    .hasMessageContaining("'t' is 0 on every calibration image");
        }
        assertThatThrownBy(() -> new MaxObserver().range(new TensorStatistics("u")))
                .hasMessageContaining("'u' was not computed");
    }

    @Test
    void methodsParseByTheirCommandLineNames() {
        assertThat(CalibrationMethod.parse("kl")).isEqualTo(CalibrationMethod.KL);
        assertThat(CalibrationMethod.parse("POW2").observer()).isInstanceOf(PowerOfTwoObserver.class);
        assertThat(CalibrationMethod.parse("percentile").observer(99.9))
                .isInstanceOfSatisfying(PercentileObserver.class, p -> assertThat(p.percentile()).isEqualTo(99.9));
        assertThatThrownBy(() -> CalibrationMethod.parse("entropy")).isInstanceOf(OctetException.class)
                .hasMessage("unknown calibration method 'entropy': expected one of kl|percentile|mse|max|pow2");
    }
}
