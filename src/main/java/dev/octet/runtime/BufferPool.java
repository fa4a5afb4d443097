package dev.octet.runtime;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * fp32 arrays for the values of one run at a time, handed back when a value's last reader has run and handed out
 * again to later steps (of the same run or of the next run that takes this pool): no new array to zero and collect
 * per step. A pool serves one thread's run at a time ({@link CompiledModel} keeps idle pools and gives each run its
 * own). Arrays are matched by exact length (a tensor's array is exactly its size). At the end of a run the pool
 * keeps only arrays released in that run, so after an input of another shape it holds one run's working set, not
 * every size ever seen.
 */
final class BufferPool {
    private Map<Integer, ArrayDeque<float[]>> previous = new HashMap<>();
    private Map<Integer, ArrayDeque<float[]>> current = new HashMap<>();

    /** An array of exactly {@code length} floats with undefined contents (a kernel overwrites all of it). */
    float[] take(int length) {
        float[] a = poll(current, length);
        a = a != null ? a : poll(previous, length);
        return a != null ? a : new float[length];
    }

    /** Hands an array back; the caller must not read or write it afterwards. */
    void release(float[] a) {
        current.computeIfAbsent(a.length, k -> new ArrayDeque<>()).push(a);
    }

    /** Ends a run: arrays from earlier runs that this run did not take are dropped. */
    void endRun() {
        previous = current;
        current = new HashMap<>();
    }

    private static float[] poll(Map<Integer, ArrayDeque<float[]>> free, int length) {
        ArrayDeque<float[]> q = free.get(length);
        return q == null ? null : q.poll();
    }
}
