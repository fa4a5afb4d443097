package dev.octet.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The fp16 bound is neither vacuous nor too tight: on dot products of the historical conv's length (7·7·3 = 147
 * terms of fp16 values in [0, 1), the sums the tuner's POSITIVE family makes), fp32 accumulation in several orders
 * (forward, backward, two interleaved halves) rounded once to fp16 passes, and fp16 accumulation (each addition
 * rounded to fp16, as a kernel with a {@code _Float16} accumulator does) fails, for several seeds. Java's float
 * arithmetic is IEEE binary32 with round-to-nearest-even, and Float.floatToFloat16 rounds the same way.
 */
class Fp16BoundTest {
    static final int K = 147;
    static final int OUTPUTS = 2000;

    @Test
    void fp32AccumulationPassesInEveryOrderAndFp16AccumulationFails() {
        for (long seed = 1; seed <= 5; seed++) {
            Random r = new Random(seed);
            float[] forward = new float[OUTPUTS];
            float[] backward = new float[OUTPUTS];
            float[] split = new float[OUTPUTS];
            float[] half = new float[OUTPUTS];
            double[] exact = new double[OUTPUTS];
            for (int o = 0; o < OUTPUTS; o++) {
                float[] p = new float[K];
                for (int k = 0; k < K; k++) {
                    p[k] = fp16(r.nextFloat()) * fp16(r.nextFloat()); // exact in fp32: 11 + 11 significand bits
                    exact[o] += p[k];
                }
                float f = 0;
                float b = 0;
                float s0 = 0;
                float s1 = 0;
                float h = 0;
                for (int k = 0; k < K; k++) {
                    f += p[k];
                    b += p[K - 1 - k];
                    if (k % 2 == 0) {
                        s0 += p[k];
                    } else {
                        s1 += p[k];
                    }
                    h = fp16(h + p[k]);
                }
                forward[o] = fp16(f);
                backward[o] = fp16(b);
                split[o] = fp16(s0 + s1);
                half[o] = h;
            }
            double[] magnitude = exact; // all terms are positive
            for (float[] ok : new float[][] {forward, backward, split}) {
                assertThat(Fp16Bound.check(ok, exact, magnitude, K)).as("seed " + seed).isNull();
            }
            assertThat(Fp16Bound.check(half, exact, magnitude, K)).as("seed " + seed)
                    .contains("exceeds the bound");
            assertThat(Fp16Bound.worstRatio(half, exact, magnitude, K)).isGreaterThan(2);
        }
    }

    @Test
    void oneFp16RoundingOfTheExactResultIsWithinAndTwoUlpsAreNot() {
        double exact = 36.7;
        float y = fp16((float) exact);
        assertThat(Fp16Bound.check(new float[] {y}, new double[] {exact}, new double[] {exact}, K)).isNull();
        float ulp = Math.ulp(y) * 8192; // fp16 has 13 fewer significand bits than fp32
        assertThat(Fp16Bound.check(new float[] {y + 2 * ulp}, new double[] {exact}, new double[] {exact}, K))
                .contains("exceeds");
        // Subnormal results: the absolute term covers one rounding into fp16's subnormals (spacing 2^-24).
        double tiny = 3.3e-7;
        assertThat(Fp16Bound.check(new float[] {fp16((float) tiny)}, new double[] {tiny}, new double[] {tiny}, K))
                .isNull();
        assertThat(Fp16Bound.check(new float[] {fp16((float) tiny) + 0x1p-23f}, new double[] {tiny},
                new double[] {tiny}, K)).contains("exceeds");
        assertThat(Fp16Bound.check(new float[] {Float.NaN}, new double[] {0}, new double[] {0}, K)).isNotNull();
        assertThatThrownBy(() -> Fp16Bound.of(0, 1, 1 << 24)).isInstanceOf(IllegalArgumentException.class);
    }

    private static float fp16(float v) {
        return Float.float16ToFloat(Float.floatToFloat16(v));
    }
}
