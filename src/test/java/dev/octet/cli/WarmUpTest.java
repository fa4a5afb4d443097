package dev.octet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A bench's warm-up lasts its rounds, then until the JIT has been quiet for {@link WarmUp#QUIET_ROUNDS} rounds,
 * within its seconds; once over it stays over.
 */
class WarmUpTest {
    @Test
    void roundsAloneWhenNoSecondsAreGiven() {
        WarmUp w = new WarmUp(3, 0, () -> 0);
        assertThat(w.warming()).isTrue();
        assertThat(w.warming()).isTrue();
        assertThat(w.warming()).isTrue();
        assertThat(w.warming()).isFalse();
        assertThat(w.warming()).isFalse();
        assertThat(w.rounds()).isEqualTo(3);
    }

    @Test
    void itWaitsForTheJitToBeQuietAfterItsRounds() {
        AtomicLong jit = new AtomicLong();
        WarmUp w = new WarmUp(2, 3600, jit::get);
        for (int round = 0; round < 20; round++) {
            assertThat(w.warming()).as("round %d, compiling", round).isTrue();
            jit.addAndGet(5); // the JIT compiled something during each of these rounds
        }
        int quiet = 0;
        while (w.warming()) {
            quiet++;
        }
        assertThat(quiet).isEqualTo(WarmUp.QUIET_ROUNDS);
        assertThat(w.rounds()).isEqualTo(20 + WarmUp.QUIET_ROUNDS);
        jit.addAndGet(5);
        assertThat(w.warming()).as("over for good").isFalse();
    }

    @Test
    void theSecondsBoundAJitThatNeverSettles() throws InterruptedException {
        AtomicLong jit = new AtomicLong();
        WarmUp w = new WarmUp(1, 0.05, jit::get);
        long start = System.nanoTime();
        while (w.warming()) {
            jit.incrementAndGet();
            Thread.sleep(5);
        }
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(50_000_000L);
        assertThat(w.rounds()).isGreaterThan(1);
    }

    @Test
    void noWarmUpAtAll() {
        WarmUp w = new WarmUp(0, 0, () -> 0);
        assertThat(w.warming()).isFalse();
        assertThat(w.rounds()).isZero();
    }
}
