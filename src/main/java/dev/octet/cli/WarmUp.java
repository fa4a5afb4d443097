package dev.octet.cli;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.function.LongSupplier;

/**
 * The untimed rounds before a benchmark's timed ones: at least {@code --warmup} of them, then more until the JVM's
 * JIT has compiled nothing for {@link #QUIET_ROUNDS} rounds in a row, for at most {@code --warmup-seconds}. A count
 * alone does not reach a JVM's steady state: on this project's 2-core machine the JIT compiles Octet's per-run Java
 * (scheduling, buffer pooling, kernel calls) during the first ~100 runs of ResNet-50, and at 2 threads its compiler
 * threads take cores from the two compute threads, so those runs took 40–50 ms against 30 ms after (at 1 thread,
 * with a core to spare, there is no such slope). Both engines run every warm-up round, so neither is timed cold.
 */
final class WarmUp {
    /** Rounds without a JIT compilation that end the warm-up. */
    static final int QUIET_ROUNDS = 10;

    private final int rounds;
    private final long nanos;
    private final LongSupplier jitMillis;
    private long start = -1;
    private long lastJit;
    private int quiet;
    private int done;
    private boolean over;

    /** @param seconds the most time the JIT's settling may add after the rounds (0: the rounds only) */
    WarmUp(int rounds, double seconds) {
        this(rounds, seconds, jitMillis());
    }

    /** @param jitMillis the JIT's total compilation time so far, in ms (null: not known, wait the seconds out) */
    WarmUp(int rounds, double seconds, LongSupplier jitMillis) {
        this.rounds = rounds;
        this.nanos = (long) (seconds * 1e9);
        this.jitMillis = jitMillis;
    }

    /** Whether the round about to run is still warm-up (it is counted as one); once false, false for good. */
    boolean warming() {
        if (over) {
            return false;
        }
        long now = System.nanoTime();
        if (start < 0) {
            start = now;
            lastJit = jitMillis == null ? 0 : jitMillis.getAsLong();
        } else if (jitMillis != null) {
            long jit = jitMillis.getAsLong();
            quiet = jit == lastJit ? quiet + 1 : 0;
            lastJit = jit;
        }
        boolean settling = now - start < nanos && (jitMillis == null || quiet < QUIET_ROUNDS);
        if (done < rounds || settling) {
            done++;
            return true;
        }
        over = true;
        return false;
    }

    /** The warm-up rounds run so far. */
    int rounds() {
        return done;
    }

    private static LongSupplier jitMillis() {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit::getTotalCompilationTime : null;
    }
}
