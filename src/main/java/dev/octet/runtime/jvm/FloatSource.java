package dev.octet.runtime.jvm;

import static dev.octet.runtime.jvm.ConvArgs.F32;

import java.lang.foreign.MemorySegment;

/**
 * A kernel's input buffer as packing reads it: through its backing float[] where it has one (every buffer of a
 * {@link dev.octet.runtime.ConvStep}), where {@link System#arraycopy} copies a short run at a third less cost than
 * {@link MemorySegment#copy}, and through the segment otherwise.
 *
 * @param array the segment's backing array, or null
 */
record FloatSource(MemorySegment segment, float[] array) {
    static FloatSource of(MemorySegment s) {
        return new FloatSource(s, ConvArgs.backingArray(s));
    }

    /** dst[at + t] = this[src + t·stride] for t in [0, n), src in elements; nothing is read where n ≤ 0. */
    void copyTo(long src, int stride, float[] dst, int at, int n) {
        if (n <= 0) {
            return;
        }
        if (array != null) {
            if (stride == 1) {
                System.arraycopy(array, Math.toIntExact(src), dst, at, n);
            } else {
                for (int t = 0; t < n; t++) {
                    dst[at + t] = array[(int) (src + (long) t * stride)];
                }
            }
        } else if (stride == 1) {
            MemorySegment.copy(segment, F32, src * 4, dst, at, n);
        } else {
            for (int t = 0; t < n; t++) {
                dst[at + t] = segment.getAtIndex(F32, src + (long) t * stride);
            }
        }
    }
}
