package dev.octet.ir;

import java.util.function.Supplier;

/**
 * Allocation of large arrays whose size comes from a model file or its inputs. A size the heap cannot hold ends in
 * an {@link OctetException} that says how much was needed and how to get it (-Xmx), not in an OutOfMemoryError.
 *
 * <p>Catching the error right at one allocation is safe: the JVM has already collected garbage before throwing
 * it, and the array that did not fit was never created, so the heap is as it was before the attempt.
 */
public final class Storage {
    private Storage() {
    }

    /** Bytes of Java heap that n values of a type take in {@link Tensor}'s storage (see its class comment). */
    public static long bytes(DataType dtype, long n) {
        long per = switch (dtype) {
            case FLOAT, FLOAT16, BFLOAT16 -> 4;
            case BOOL -> 1;
            default -> 8;
        };
        return n > Long.MAX_VALUE / per ? Long.MAX_VALUE : n * per;
    }

    /** A zeroed storage array for n values of a type (float[], double[], long[], boolean[] or String[]). */
    public static Object allocate(DataType dtype, int n, String what) {
        return guard(bytes(dtype, n), what, () -> switch (dtype) {
            case FLOAT, FLOAT16, BFLOAT16 -> new float[n];
            case DOUBLE -> new double[n];
            case BOOL -> new boolean[n];
            case STRING -> new String[n];
            default -> new long[n];
        });
    }

    /**
     * Runs an allocation of about {@code bytes} bytes.
     *
     * @param what what is being allocated, for the message ("tensor 'w'", "node 'conv1' (Conv)")
     */
    public static <T> T guard(long bytes, String what, Supplier<T> allocation) {
        long max = Runtime.getRuntime().maxMemory();
        if (bytes > max) {
            throw tooLarge(what, bytes, "more than this JVM's whole heap of " + mib(max));
        }
        try {
            return allocation.get();
        } catch (OutOfMemoryError e) {
            throw tooLarge(what, bytes, "more than is free in this JVM's heap of " + mib(max));
        }
    }

    private static OctetException tooLarge(String what, long bytes, String why) {
        return new OctetException(what + ": needs " + mib(bytes) + " of memory, " + why
                + " (raise it with -Xmx, e.g. OCTET_JAVA_OPTS=-Xmx8g)");
    }

    /** A byte count for messages: "12 MiB", rounded up so that a small need never reads as 0. */
    public static String mib(long bytes) {
        return bytes >= Long.MAX_VALUE - (1 << 20) ? "more than 8 EiB" : ((bytes + (1 << 20) - 1) >> 20) + " MiB";
    }
}
