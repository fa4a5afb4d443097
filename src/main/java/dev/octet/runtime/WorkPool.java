package dev.octet.runtime;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;

/**
 * The threads of a compiled model: a kernel's work range [0, n) is cut into one contiguous chunk per thread, the
 * caller runs the first chunk itself. Daemon threads, so a forgotten close never keeps the JVM alive. No OpenMP:
 * native kernels never start threads of their own.
 */
public final class WorkPool implements AutoCloseable {
    /** A piece of work over [begin, end). */
    @FunctionalInterface
    public interface RangeTask {
        void run(long begin, long end);
    }

    private final int threads;
    private final ExecutorService executor;

    public WorkPool(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        this.threads = threads;
        AtomicInteger n = new AtomicInteger();
        this.executor = threads == 1 ? null : Executors.newFixedThreadPool(threads - 1, r -> {
            Thread t = new Thread(r, "octet-worker-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    public int threads() {
        return threads;
    }

    /** Runs task over [0, n) split across the threads; returns when every chunk is done. */
    void parallelFor(long n, RangeTask task) {
        int parts = (int) Math.min(threads, n);
        if (parts <= 1) {
            if (n > 0) {
                task.run(0, n);
            }
            return;
        }
        List<Future<?>> futures = new ArrayList<>(parts - 1);
        for (int p = 1; p < parts; p++) {
            long begin = n * p / parts;
            long end = n * (p + 1) / parts;
            futures.add(executor.submit(() -> task.run(begin, end)));
        }
        task.run(0, n / parts);
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while running a kernel", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException re) {
                    throw re;
                }
                throw new IllegalStateException(e.getCause());
            }
        }
    }

    @Override
    public void close() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }
}
