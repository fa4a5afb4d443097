package dev.octet.runtime;

/** Elementwise Java steps split n elements into chunks of {@value #SIZE} for {@link WorkPool#parallelFor}. */
final class ElementChunks {
    static final int SIZE = 1 << 14;

    private ElementChunks() {
    }

    /** Number of chunks of n elements. */
    static long count(int n) {
        return (n + SIZE - 1) / SIZE;
    }

    /** The first element of chunk c (n for the end of the last chunk). */
    static int start(long c, int n) {
        return (int) Math.min((long) n, c * SIZE);
    }
}
