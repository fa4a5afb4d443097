package dev.octet.verify;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * An fp16 output buffer for a kernel under test, the binary16 twin of {@link GuardedOutput}: filled with fp16 NaN
 * before the run (so an element the kernel forgets to write is caught) and followed by canaries (so a write past
 * the end is caught). Values are IEEE binary16 bit patterns; {@link #values} widens them to float, exactly.
 */
public final class GuardedHalfs {
    /** The quiet NaN of binary16. */
    private static final short NAN = (short) 0x7e00;
    /** A signalling-NaN pattern no kernel writes (converting any float to fp16 never yields a signalling NaN). */
    private static final short CANARY = (short) 0x7dad;

    private final short[] data;
    private final int size;

    public GuardedHalfs(int size) {
        this.size = size;
        this.data = new short[size + Canaries.COUNT];
        Arrays.fill(data, 0, size, NAN);
        Arrays.fill(data, size, size + Canaries.COUNT, CANARY);
    }

    /** The segment to hand the kernel (its whole length, canaries included, so the canaries are in reach). */
    public MemorySegment segment() {
        return MemorySegment.ofArray(data);
    }

    /** The written values widened to float (exact). */
    public float[] values() {
        float[] out = new float[size];
        for (int i = 0; i < size; i++) {
            out[i] = Float.float16ToFloat(data[i]);
        }
        return out;
    }

    /** Null if the run left the guards intact and wrote every element, else what went wrong. */
    public String damage() {
        String pastEnd = Canaries.overwritten(size, i -> data[i] == CANARY);
        return pastEnd != null ? pastEnd : Canaries.unwritten(size, i -> Float.isNaN(Float.float16ToFloat(data[i])));
    }
}
