package dev.octet.runtime.jvm;

import java.lang.foreign.MemorySegment;

/**
 * Per-thread work buffers of the JVM kernels (packed activation panels, a block's row runs, an edge tile), as the
 * C kernels keep theirs in {@code _Thread_local} arrays: a kernel call runs on one thread and never re-enters, so
 * one set per thread serves every kernel. They grow to the largest request and are never shrunk.
 */
final class Scratch {
    private static final ThreadLocal<Scratch> PER_THREAD = ThreadLocal.withInitial(Scratch::new);

    private float[] panels = new float[0];
    private float[] weights = new float[0];
    private int[] runs = new int[0];
    private float[] tile = new float[0];
    private MemorySegment tileSegment = MemorySegment.ofArray(tile);

    static Scratch get() {
        return PER_THREAD.get();
    }

    float[] panels(int n) {
        if (panels.length < n) {
            panels = new float[n];
        }
        return panels;
    }

    /** A copy of weights that do not live in a float[] (an off-heap segment): the panels the micro-kernel reads. */
    float[] weights(MemorySegment w) {
        int n = Math.toIntExact(w.byteSize() / 4);
        if (weights.length < n) {
            weights = new float[n];
        }
        MemorySegment.copy(w, ConvArgs.F32, 0, weights, 0, n);
        return weights;
    }

    int[] runs(int n) {
        if (runs.length < n) {
            runs = new int[n];
        }
        return runs;
    }

    /** A tile of at least n floats (edge tiles are computed there, then copied out; a depthwise row is summed there). */
    float[] tile(int n) {
        if (tile.length < n) {
            tile = new float[n];
            tileSegment = MemorySegment.ofArray(tile);
        }
        return tile;
    }

    /** {@link #tile} as a heap segment over the same array. */
    MemorySegment tileSegment(int n) {
        tile(n);
        return tileSegment;
    }
}
