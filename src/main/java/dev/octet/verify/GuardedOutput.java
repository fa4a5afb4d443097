package dev.octet.verify;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * An output buffer for a kernel under test: filled with NaN before the run (so an element the kernel forgets to
 * write is caught) and followed by canary values (so a write past the end is caught).
 */
public final class GuardedOutput {
    static final int CANARIES = 64;
    private static final float CANARY = Float.intBitsToFloat(0x7f8dead5); // a signalling-NaN pattern no kernel writes

    private final float[] data;
    private final int size;

    public GuardedOutput(int size) {
        this.size = size;
        this.data = new float[size + CANARIES];
        Arrays.fill(data, 0, size, Float.NaN);
        Arrays.fill(data, size, size + CANARIES, CANARY);
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
        for (int i = size; i < size + CANARIES; i++) {
            if (Float.floatToRawIntBits(data[i]) != Float.floatToRawIntBits(CANARY)) {
                return "wrote past the end of the output (canary " + (i - size) + " overwritten)";
            }
        }
        for (int i = 0; i < size; i++) {
            if (Float.isNaN(data[i])) {
                return "left output element " + i + " unwritten (NaN)";
            }
        }
        return null;
    }
}
