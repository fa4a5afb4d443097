package dev.octet.runtime;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The threads of a compiled model: a kernel's work range [0, n) is cut into one contiguous chunk per thread, the
 * caller runs the first chunk itself. No OpenMP: native kernels never start threads of their own.
 *
 * <p>Workers spin for a short while ({@link #SPIN_NANOS}) before parking, and so does the caller waiting for them:
 * a model's steps follow each other within microseconds, and waking a parked thread (on a virtual machine, a halted
 * virtual CPU) costs tens of microseconds or more each way, on steps of 0.1–2 ms (ONNX Runtime's pool spins too).
 * Measured on this project's 2-vCPU machine, ResNet-50 fp32 at 2 threads: 58.6 ms with parking workers, 46.5–50.0
 * with spinning ones (1 thread: 67). After a run the workers park, so an idle model costs nothing. One {@code parallelFor} at a time uses the workers: a second caller (two
 * threads running the same compiled model) runs its whole range itself rather than wait. Daemon threads, so a
 * forgotten close never keeps the JVM alive.
 */
public final class WorkPool implements AutoCloseable {
    /**
     * How long a thread spins for new work (a worker) or for the workers' end (the caller) before parking:
     * {@code -Doctet.spin.micros} (default 100; 0 parks at once, for a machine so oversubscribed that spinning only
     * takes the cores from the thread being waited for).
     */
    static final long SPIN_NANOS = Long.getLong("octet.spin.micros", 100) * 1000;

    /** A piece of work over [begin, end). */
    @FunctionalInterface
    public interface RangeTask {
        void run(long begin, long end);
    }

    /**
     * One parallelFor as the workers see it, published whole through one volatile field: a worker that sees a new
     * job sees all of its fields, and the next job is published only after every worker taking part in this one
     * has finished, so no worker can run a chunk twice or miss one.
     */
    private static final class Job {
        final RangeTask task;
        final long size;
        final int parts;
        final Thread caller;
        final AtomicInteger pending;
        volatile Throwable failure;

        Job(RangeTask task, long size, int parts, Thread caller) {
            this.task = task;
            this.size = size;
            this.parts = parts;
            this.caller = caller;
            this.pending = new AtomicInteger(parts - 1);
        }
    }

    private final int threads;
    private final Thread[] workers;
    private final ReentrantLock inUse = new ReentrantLock();
    private volatile Job job;
    private volatile boolean closed;

    public WorkPool(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        this.threads = threads;
        this.workers = new Thread[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            int part = i + 1;
            workers[i] = Thread.ofPlatform().daemon().name("octet-worker-" + part).unstarted(() -> work(part));
            workers[i].start();
        }
    }

    public int threads() {
        return threads;
    }

    /** Runs task over [0, n) split across the threads; returns when every chunk is done. */
    public void parallelFor(long n, RangeTask task) {
        int p = (int) Math.min(threads, n);
        if (p <= 1 || !inUse.tryLock()) {
            if (n > 0) {
                task.run(0, n);
            }
            return;
        }
        try {
            Job j = new Job(task, n, p, Thread.currentThread());
            job = j;
            for (int i = 0; i < p - 1; i++) {
                LockSupport.unpark(workers[i]);
            }
            Throwable mine = null;
            try {
                task.run(0, n / p);
            } catch (Throwable t) {
                mine = t;
            }
            awaitWorkers(j);
            job = null; // the task's buffers are not kept alive between steps
            Throwable t = mine != null ? mine : j.failure;
            if (t instanceof RuntimeException re) {
                throw re;
            }
            if (t instanceof Error e) {
                throw e;
            }
            if (t != null) {
                throw new IllegalStateException(t);
            }
        } finally {
            inUse.unlock();
        }
    }

    private static void awaitWorkers(Job j) {
        long start = System.nanoTime();
        while (j.pending.get() > 0) {
            if (System.nanoTime() - start < SPIN_NANOS) {
                Thread.onSpinWait();
            } else {
                LockSupport.parkNanos(j, 50_000); // the last worker unparks us; the timeout covers a lost race
            }
        }
    }

    private void work(int part) {
        Job seen = null;
        while (!closed) {
            long start = System.nanoTime();
            Job j;
            while ((j = job) == seen && !closed) {
                if (System.nanoTime() - start < SPIN_NANOS) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
            }
            if (closed) {
                return;
            }
            seen = j;
            if (j != null && part < j.parts) {
                try {
                    j.task.run(j.size * part / j.parts, j.size * (part + 1) / j.parts);
                } catch (Throwable t) {
                    j.failure = t;
                }
                if (j.pending.decrementAndGet() == 0) {
                    LockSupport.unpark(j.caller);
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Thread w : workers) {
            LockSupport.unpark(w);
        }
    }
}
