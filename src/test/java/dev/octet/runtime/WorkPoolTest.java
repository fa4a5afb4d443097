package dev.octet.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/**
 * Every index of every range runs exactly once whatever the chunking, each thread starts with its own chunk,
 * failures reach the caller, and concurrent callers both finish.
 */
class WorkPoolTest {
    @Test
    void everyIndexRunsExactlyOnceForManyCallsInARow() {
        for (int threads = 1; threads <= 4; threads++) {
            for (int chunks = 1; chunks <= 3; chunks++) {
                everyIndexOnce(threads, chunks);
            }
        }
    }

    private static void everyIndexOnce(int threads, int chunks) {
        try (WorkPool pool = new WorkPool(threads, chunks)) {
            for (int n = 0; n < 300; n++) {
                AtomicIntegerArray runs = new AtomicIntegerArray(n);
                pool.parallelFor(n, (b, e) -> count(runs, b, e));
                for (int i = 0; i < n; i++) {
                    assertThat(runs.get(i)).as("threads %d, chunks %d, n %d, index %d", threads, chunks, n, i)
                            .isEqualTo(1);
                }
            }
        }
    }

    @Test
    void aFailingChunkFailsTheCallAndThePoolGoesOn() {
        try (WorkPool pool = new WorkPool(3)) {
            assertThatThrownBy(() -> pool.parallelFor(9, (b, e) -> {
                if (b > 0) { // a worker's chunk
                    throw new IllegalStateException("chunk " + b);
                }
            })).isInstanceOf(IllegalStateException.class).hasMessageStartingWith("chunk ");
            AtomicIntegerArray runs = new AtomicIntegerArray(9);
            pool.parallelFor(9, (b, e) -> {
                for (long i = b; i < e; i++) {
                    runs.incrementAndGet((int) i);
                }
            });
            for (int i = 0; i < 9; i++) {
                assertThat(runs.get(i)).isEqualTo(1);
            }
        }
    }

    @Test
    void twoCallersAtOnceBothCoverTheirRanges() throws InterruptedException {
        try (WorkPool pool = new WorkPool(2)) {
            AtomicIntegerArray a = new AtomicIntegerArray(1000);
            AtomicIntegerArray b = new AtomicIntegerArray(1000);
            Thread other = Thread.ofPlatform().start(() -> {
                for (int rep = 0; rep < 200; rep++) {
                    pool.parallelFor(1000, (s, e) -> count(a, s, e));
                }
            });
            for (int rep = 0; rep < 200; rep++) {
                pool.parallelFor(1000, (s, e) -> count(b, s, e));
            }
            other.join();
            for (int i = 0; i < 1000; i++) {
                assertThat(a.get(i)).isEqualTo(200);
                assertThat(b.get(i)).isEqualTo(200);
            }
        }
    }

    /**
     * The caller runs the first half and worker 1 the second in every call, whoever sees the job first (each chunk
     * waits until the other has started, so no thread can run both): step after step, each thread works on the
     * same part of the image.
     */
    @Test
    void eachThreadRunsItsOwnChunkFirst() {
        try (WorkPool pool = new WorkPool(2)) {
            String caller = Thread.currentThread().getName();
            for (int rep = 0; rep < 200; rep++) {
                String[] ranOn = new String[2];
                CountDownLatch bothStarted = new CountDownLatch(2);
                pool.parallelFor(2, (b, e) -> {
                    ranOn[(int) b] = Thread.currentThread().getName();
                    bothStarted.countDown();
                    awaitQuietly(bothStarted);
                });
                assertThat(ranOn).as("call %d", rep).containsExactly(caller, "octet-worker-1");
            }
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void count(AtomicIntegerArray runs, long begin, long end) {
        for (long i = begin; i < end; i++) {
            runs.incrementAndGet((int) i);
        }
    }
}
