package dev.octet.quant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** SQNR and cosine of known signals and noises, pooled over images. */
class ErrorMeterTest {
    private static final int N = 1200; // 100 full periods of 12 samples

    /** A·sin over whole periods: power A²/2 exactly (Σ sin² over whole periods of ≥ 3 samples is N/2). */
    private static float[] sine(double amplitude) {
        float[] x = new float[N];
        for (int i = 0; i < N; i++) {
            x[i] = (float) (amplitude * Math.sin(2 * Math.PI * i / 12));
        }
        return x;
    }

    /** The signal plus noise ±n alternating: noise power n². */
    private static float[] plusNoise(float[] x, double n) {
        float[] y = x.clone();
        for (int i = 0; i < N; i++) {
            y[i] += (float) (i % 2 == 0 ? n : -n);
        }
        return y;
    }

    @Test
    void sqnrOfSignalPlusKnownNoise() {
        float[] x = sine(3.0);
        for (double n : new double[] {0.3, 0.03, 0.003}) {
            TensorError e = TensorError.of("t", x, plusNoise(x, n));
            double expected = 10 * Math.log10((3.0 * 3.0 / 2) / (n * n)); // 16.5 dB, 36.5 dB, 56.5 dB
            assertThat(e.sqnrDb()).as("noise %s", n).isCloseTo(expected, within(0.01));
            assertThat(e.maxAbsError()).isCloseTo(n, within(1e-5));
            assertThat(e.count()).isEqualTo(N);
        }
    }

    @Test
    void cosineOfKnownAngles() {
        assertThat(TensorError.of("t", new float[] {1, 0}, new float[] {1, 1}).cosine())
                .isCloseTo(Math.sqrt(0.5), within(1e-12));
        assertThat(TensorError.of("t", new float[] {1, 2, 3}, new float[] {2, 4, 6}).cosine())
                .isCloseTo(1.0, within(1e-12));
        assertThat(TensorError.of("t", new float[] {1, 2, 3}, new float[] {-1, -2, -3}).cosine())
                .isCloseTo(-1.0, within(1e-12));
        assertThat(TensorError.of("t", new float[] {1, 0}, new float[] {0, 5}).cosine()).isZero();
    }

    @Test
    void exactAndZeroValues() {
        TensorError exact = TensorError.of("t", new float[] {1, -2}, new float[] {1, -2});
        assertThat(exact.sqnrDb()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(exact.cosine()).isEqualTo(1.0);
        assertThat(TensorError.of("t", new float[] {0, 0}, new float[] {0, 0}).cosine()).isEqualTo(1.0);
        TensorError lost = TensorError.of("t", new float[] {1, 2}, new float[] {0, 0});
        assertThat(lost.cosine()).isZero();
        assertThat(lost.sqnrDb()).isCloseTo(0.0, within(1e-12));
    }

    @Test
    void poolsImagesAsOneSignal() {
        float[] x = sine(1.0);
        float[] y = plusNoise(x, 0.1);
        float[] big = sine(10.0);
        float[] bigY = plusNoise(big, 0.1);
        ErrorMeter m = new ErrorMeter("t");
        m.add(x, y);
        m.add(big, bigY);
        double expected = 10 * Math.log10((0.5 + 50.0) / (2 * 0.01)); // total signal / total noise power
        assertThat(m.result().sqnrDb()).isCloseTo(expected, within(0.01));
        assertThat(m.result().count()).isEqualTo(2L * N);
    }

    @Test
    void refusesArraysOfDifferentLengths() {
        assertThatThrownBy(() -> new ErrorMeter("conv1").add(new float[3], new float[2]))
                .hasMessageContaining("conv1").hasMessageContaining("3 fp32 values but 2 int8 values");
    }
}
