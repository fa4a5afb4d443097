package dev.octet.verify;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * An 8-bit output buffer for a kernel under test: filled with one byte value before the run and followed by
 * canary bytes (so a write past the end is caught). Every byte is a valid u8/s8 output, so no fill value marks an
 * element as unwritten the way NaN does for floats: run twice with two different fills ({@link #FILLS}) and
 * compare both results with the reference; an element the kernel forgets keeps its fill and fails one of them.
 */
public final class GuardedBytes {
    /** Two fills that differ in every bit. */
    public static final byte[] FILLS = {(byte) 0x5a, (byte) 0xa5};
    private static final byte CANARY = (byte) 0xc3;

    private final byte[] data;
    private final int size;

    public GuardedBytes(int size, byte fill) {
        this.size = size;
        this.data = new byte[size + Canaries.COUNT];
        Arrays.fill(data, 0, size, fill);
        Arrays.fill(data, size, size + Canaries.COUNT, CANARY);
    }

    /** The segment to hand the kernel (its whole length, canaries included, so the canaries are in reach). */
    public MemorySegment segment() {
        return MemorySegment.ofArray(data);
    }

    /** The written values (a copy). */
    public byte[] values() {
        return Arrays.copyOf(data, size);
    }

    /** Null if the run left the canaries intact, else what went wrong. */
    public String damage() {
        return Canaries.overwritten(size, i -> data[i] == CANARY);
    }
}
