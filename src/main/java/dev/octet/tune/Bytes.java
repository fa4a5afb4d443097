package dev.octet.tune;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Arrays as the native-order bytes a worker process reads, and back. */
final class Bytes {
    private Bytes() {
    }

    static byte[] of(float[] a) {
        return MemorySegment.ofArray(a).toArray(ValueLayout.JAVA_BYTE);
    }

    static byte[] of(short[] a) {
        return MemorySegment.ofArray(a).toArray(ValueLayout.JAVA_BYTE);
    }

    static byte[] of(int[] a) {
        return MemorySegment.ofArray(a).toArray(ValueLayout.JAVA_BYTE);
    }

    static byte[] of(MemorySegment s) {
        return s.toArray(ValueLayout.JAVA_BYTE);
    }

    /** Copies bytes that came back from a worker into a (heap) segment of the same size. */
    static void into(byte[] bytes, MemorySegment target) {
        if (bytes.length != target.byteSize()) {
            throw new IllegalArgumentException("expected " + target.byteSize() + " bytes, got " + bytes.length);
        }
        MemorySegment.copy(MemorySegment.ofArray(bytes), 0, target, 0, bytes.length);
    }
}
