package dev.octet.verify;

import java.util.function.IntPredicate;

/**
 * The checks the guarded output buffers ({@link GuardedOutput}, {@link GuardedHalfs}, {@link GuardedBytes}) share:
 * each holds its {@code size} elements followed by {@link #COUNT} canaries, and differs only in its element type
 * and in what marks an element as unwritten, so each passes the element test and the scan and messages live here.
 */
final class Canaries {
    /** Canary elements after the output, so that a write past its end is caught. */
    static final int COUNT = 64;

    private Canaries() {
    }

    /** Null if every canary at {@code size .. size + COUNT - 1} is intact, else which was overwritten. */
    static String overwritten(int size, IntPredicate intact) {
        for (int i = size; i < size + COUNT; i++) {
            if (!intact.test(i)) {
                return "wrote past the end of the output (canary " + (i - size) + " overwritten)";
            }
        }
        return null;
    }

    /** Null if no element of {@code 0 .. size - 1} still holds its NaN fill, else the first that does. */
    static String unwritten(int size, IntPredicate isNaN) {
        for (int i = 0; i < size; i++) {
            if (isNaN.test(i)) {
                return "left output element " + i + " unwritten (NaN)";
            }
        }
        return null;
    }
}
