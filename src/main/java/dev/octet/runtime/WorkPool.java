package dev.octet.runtime;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The threads of a compiled model: a kernel's work range [0, n) is cut into contiguous chunks
 * ({@link #CHUNKS_PER_THREAD} per thread) that the caller and the workers claim in turn. No OpenMP: native kernels
 * never start threads of their own.
 *
 * <p>Workers spin for a short while ({@link #SPIN_NANOS}) before parking, and so does the caller waiting for them:
 * a model's steps follow each other within microseconds, and waking a parked thread (on a virtual machine, a halted
 * virtual CPU) costs tens of microseconds or more each way, on steps of 0.1–2 ms (ONNX Runtime's pool spins too).
 * Measured on this project's 2-vCPU machine, ResNet-50 fp32 at 2 threads: 58.6 ms with parking workers, 46.5–50.0
 * with spinning ones (1 thread: 67). After a run the workers park, so an idle model costs nothing. One
 * {@code parallelFor} at a time uses the workers: a second caller (two threads running the same compiled model)
 * runs its whole range itself rather than wait. Daemon threads, so a
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
     * Chunks per thread that a range is cut into ({@code -Doctet.pool.chunks}, default 1). Threads claim chunks
     * from a shared counter, so a thread that comes late (the OS gave its core to a JIT compiler thread or the
     * collector: with as many threads as cores, every such pause lands on some step's critical path) finds its
     * chunk already taken by the others instead of holding up the step. Finer chunks would also cover a thread
     * stopped mid-chunk, but a GEMM kernel packs each pixel block a chunk touches, so chunk borders inside blocks
     * pack twice. ResNet-50 int8 at 2 threads against ONNX Runtime int8 (benches alternated in one hour): 1 chunk
     * per thread 0.73–0.93×, the former static split 0.54–0.64×; 4 chunks per thread 0.60–0.81× against 1's
     * 0.84–1.17×. Results do not depend on the cut: each output element is computed whole by one chunk.
     *
     * <p>Each thread claims its own chunks first (thread t, the caller being 0, starts at chunk t·chunks) and only
     * then the others' that are still unclaimed. Every template orders its work range by image position first, so
     * a thread then gets the same part of the image step after step and reads the activations the previous step
     * left in its own core's L2, not the other core's; with one shared order a spinning worker often took chunk 0
     * while the caller was still waking the others. ResNet-50 fp32 at 2 threads against ONNX Runtime, six benches
     * each alternated within an hour: 0.958–0.997× (median 0.982) against 0.945–0.979× (0.952).
     */
    static final int CHUNKS_PER_THREAD = Integer.getInteger("octet.pool.chunks", 1);

    /**
     * One parallelFor as the workers see it, published whole through one volatile field: a worker that sees a new
     * job sees all of its fields. Chunks are claimed from {@code next}; the call returns when {@code done} covers
     * the range, so a worker that comes late to a finished job claims nothing and runs nothing.
     */
    private static final class Job {
        final RangeTask task;
        final long size;
        final long chunk;
        final Thread caller;
        final AtomicIntegerArray claimed;
        final AtomicLong done = new AtomicLong();
        volatile Throwable failure;

        Job(RangeTask task, long size, long chunk, Thread caller) {
            this.task = task;
            this.size = size;
            this.chunk = chunk;
            this.caller = caller;
            this.claimed = new AtomicIntegerArray((int) ((size + chunk - 1) / chunk));
        }

        /**
         * Runs chunks until none is left, starting with chunk {@code first} (the thread's own) and then taking
         * whatever the others have not claimed; after a failure the rest are counted, not run.
         */
        void claimChunks(int first) {
            int chunks = claimed.length();
            for (int i = 0; i < chunks; i++) {
                int c = (first + i) % chunks;
                if (claimed.get(c) != 0 || !claimed.compareAndSet(c, 0, 1)) {
                    continue;
                }
                long begin = c * chunk;
                long end = Math.min(size, begin + chunk);
                if (failure == null) {
                    try {
                        task.run(begin, end);
                    } catch (Throwable t) {
                        failure = t;
                    }
                }
                if (done.addAndGet(end - begin) == size && Thread.currentThread() != caller) {
                    LockSupport.unpark(caller);
                }
            }
        }
    }

    private final int threads;
    private final int chunksPerThread;
    private final Thread[] workers;
    private final ReentrantLock inUse = new ReentrantLock();
    private volatile Job job;
    private volatile boolean closed;

    public WorkPool(int threads) {
        this(threads, CHUNKS_PER_THREAD);
    }

    WorkPool(int threads, int chunksPerThread) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        if (chunksPerThread < 1) {
            throw new IllegalArgumentException("chunks per thread must be at least 1, got " + chunksPerThread);
        }
        this.threads = threads;
        this.chunksPerThread = chunksPerThread;
        this.workers = new Thread[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            int index = i + 1;
            workers[i] = Thread.ofPlatform().daemon().name("octet-worker-" + index).unstarted(() -> work(index));
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
            Job j = new Job(task, n, chunk(n, p), Thread.currentThread());
            job = j;
            for (int i = 0; i < p - 1; i++) {
                LockSupport.unpark(workers[i]);
            }
            j.claimChunks(0);
            awaitWorkers(j);
            job = null; // the task's buffers are not kept alive between steps
            Throwable t = j.failure;
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

    /** Items per chunk: chunksPerThread chunks per thread taking part, the last one possibly shorter. */
    private long chunk(long n, int parts) {
        long chunks = (long) parts * chunksPerThread;
        return Math.max(1, (n + chunks - 1) / chunks);
    }

    private static void awaitWorkers(Job j) {
        long start = System.nanoTime();
        while (j.done.get() < j.size) {
            if (System.nanoTime() - start < SPIN_NANOS) {
                Thread.onSpinWait();
            } else {
                LockSupport.parkNanos(j, 50_000); // the last worker unparks us; the timeout covers a lost race
            }
        }
    }

    private void work(int index) {
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
            if (j != null) {
                j.claimChunks(index * chunksPerThread);
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
