package dev.octet.tune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The noise a confirmation judges a gain against: paired rounds, robust to one disturbed round of three. */
class ConfirmationNoiseTest {
    @Test
    void steadyRatiosAreLittleNoise() {
        assertThat(Confirmation.pairedNoise(new double[] {0.50, 0.51, 0.49})).isCloseTo(0.02, within(1e-9));
    }

    @Test
    void oneSpikedRoundOfThreeIsIgnored() {
        // the default's second round ran during a load spike: best / default fell from 0.47 to 0.31
        double noise = Confirmation.pairedNoise(new double[] {0.475, 0.318, 0.467});
        assertThat(noise).isLessThan(0.02);
        assertThat(new Confirmation(1.79e-3, 0.84e-3, noise, 3).significant()).isTrue();
    }

    @Test
    void aSmallGainInScatteredRoundsIsNotSignificant() {
        double noise = Confirmation.pairedNoise(new double[] {0.90, 0.97, 1.04});
        assertThat(noise).isCloseTo(0.07 / 0.97, within(1e-9));
        assertThat(new Confirmation(1.00e-3, 0.93e-3, noise, 3).significant()).isFalse();
    }

    @Test
    void twoRoundsTakeTheirMean() {
        assertThat(Confirmation.pairedNoise(new double[] {0.9, 1.1})).isCloseTo(0.1, within(1e-9));
    }
}
