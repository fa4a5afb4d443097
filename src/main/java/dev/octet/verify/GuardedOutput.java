package dev.octet.verify;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * An output buffer for a kernel under test: filled with NaN before the run (so an element the kernel forgets to
 * write is caught) and followed by canary values (so a write past the end is caught).
 */
public final class GuardedOutput {
    private static final float CANARY = Float.intBitsToFloat(0x7f8dead5); // a signalling-NaN pattern no kernel writes

    private final float[] data;
    private final int size;

    public GuardedOutput(int size) {
        this.size = size;
        this.data = new float[size + Canaries.COUNT];
        Arrays.fill(data, 0, size, Float.NaN);
        Arrays.fill(data, size, size + Canaries.COUNT, CANARY);
    }

    /**
     * An output buffer that starts with {@code initial} instead of NaN, for a kernel that reads it before writing
     * (a conv writing over its residual); canaries follow it as usual. An element the kernel forgets to write keeps
     * its initial value, which the comparison with the reference catches instead of the NaN.
     */
    public static GuardedOutput holding(float[] initial) {
        GuardedOutput g = new GuardedOutput(initial.length);
        System.arraycopy(initial, 0, g.data, 0, initial.length);
        return g;
    }

    /** The segment to hand the kernel (its whole length, canaries included, so the canaries are in reach). */
    public MemorySegment segment() {
        return MemorySegment.ofArray(data);
    }

    /** The written values (a copy). */
    public float[] values() {
        return Arrays.copyOf(data, size);
    }

    /** Null if the run left the guards intact and wrote every element, else what went wrong. */
    public String damage() {
        String pastEnd = Canaries.overwritten(size,
                i -> Float.floatToRawIntBits(data[i]) == Float.floatToRawIntBits(CANARY));
        return pastEnd != null ? pastEnd : Canaries.unwritten(size, i -> Float.isNaN(data[i]));
    }
}
