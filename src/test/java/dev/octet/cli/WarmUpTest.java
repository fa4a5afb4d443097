package dev.octet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A bench's warm-up lasts its rounds and its seconds, whichever is longer, and once over stays over. */
class WarmUpTest {
    @Test
    void roundsAloneWhenNoSecondsAreAsked() {
        WarmUp w = new WarmUp(3, 0);
        assertThat(w.warming()).isTrue();
        assertThat(w.warming()).isTrue();
        assertThat(w.warming()).isTrue();
        assertThat(w.warming()).isFalse();
        assertThat(w.warming()).isFalse();
        assertThat(w.rounds()).isEqualTo(3);
    }

    @Test
    void secondsKeepItWarmingPastItsRoundsThenItEnds() throws InterruptedException {
        WarmUp w = new WarmUp(1, 0.05);
        long start = System.nanoTime();
        int rounds = 0;
        while (w.warming()) {
            rounds++;
            Thread.sleep(5);
        }
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(50_000_000L);
        assertThat(rounds).isGreaterThan(1).isEqualTo(w.rounds());
        assertThat(w.warming()).isFalse();
    }

    @Test
    void noWarmUpAtAll() {
        WarmUp w = new WarmUp(0, 0);
        assertThat(w.warming()).isFalse();
        assertThat(w.rounds()).isZero();
    }
}
