package dev.octet.cli;

/**
 * The untimed rounds before a benchmark's timed ones: at least {@code --warmup} of them, and for at least
 * {@code --warmup-seconds}. A count alone does not reach a JVM's steady state: on this project's 2-core machine the
 * JIT compiles Octet's per-run Java (scheduling, buffer pooling, kernel calls) for the first ~100 runs of
 * ResNet-50, and at 2 threads its compiler threads take cores from the two compute threads, so those runs took
 * 40–50 ms against 30 ms after (at 1 thread, with a core to spare, there is no such slope). Both engines run every
 * warm-up round, so neither is timed cold.
 */
final class WarmUp {
    private final int rounds;
    private final long nanos;
    private long start = -1;
    private int done;

    WarmUp(int rounds, double seconds) {
        this.rounds = rounds;
        this.nanos = (long) (seconds * 1e9);
    }

    /** Whether the round about to run is still warm-up (it is counted as one); once false, false for good. */
    boolean warming() {
        if (start < 0) {
            start = System.nanoTime();
        }
        if (done < rounds || System.nanoTime() - start < nanos) {
            done++;
            return true;
        }
        return false;
    }

    /** The warm-up rounds run so far. */
    int rounds() {
        return done;
    }
}
