package dev.octet.runtime;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * fp32 and byte arrays for the values of one run at a time, handed back when a value's last reader has run and handed out
 * again to later steps (of the same run or of the next run that takes this pool): no new array to zero and collect
 * per step. A pool serves one thread's run at a time ({@link CompiledModel} keeps idle pools and gives each run its
 * own). Arrays are matched by exact length (a tensor's array is exactly its size). At the end of a run the pool
 * keeps only arrays released in that run, so after an input of another shape it holds one run's working set, not
 * every size ever seen.
 */
final class BufferPool {
    /** Free arrays by kind and exact length: a float[] and a byte[] of the same length are different keys. */
    private record Key(boolean bytes, int length) {
    }

    private Map<Key, ArrayDeque<Object>> previous = new HashMap<>();
    private Map<Key, ArrayDeque<Object>> current = new HashMap<>();

    /** An array of exactly {@code length} floats with undefined contents (a kernel overwrites all of it). */
    float[] take(int length) {
        Object a = poll(new Key(false, length));
        return a != null ? (float[]) a : new float[length];
    }

    /**
     * An array of exactly {@code length} bytes with undefined contents: an int8 kernel's output, which would
     * otherwise be a new zeroed array per step (megabytes per run, written cache-cold, and young collections).
     */
    byte[] takeBytes(int length) {
        Object a = poll(new Key(true, length));
        return a != null ? (byte[]) a : new byte[length];
    }

    /** Hands a float[] or byte[] back; the caller must not read or write it afterwards. */
    void release(Object a) {
        Key k = a instanceof byte[] b ? new Key(true, b.length) : new Key(false, ((float[]) a).length);
        current.computeIfAbsent(k, x -> new ArrayDeque<>()).push(a);
    }

    /** Ends a run: arrays from earlier runs that this run did not take are dropped. */
    void endRun() {
        previous = current;
        current = new HashMap<>();
    }

    private Object poll(Key k) {
        ArrayDeque<Object> q = current.get(k);
        Object a = q == null ? null : q.poll();
        if (a == null) {
            q = previous.get(k);
            a = q == null ? null : q.poll();
        }
        return a;
    }
}
