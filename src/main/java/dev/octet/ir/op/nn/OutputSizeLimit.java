package dev.octet.ir.op.nn;

import dev.octet.ir.Dim;
import dev.octet.ir.op.OpContext;
import java.util.Arrays;
import java.util.List;

/**
 * The largest output that Resize, Upsample and Pad allocate from sizes a model computes (scales, sizes, pads):
 * 2^28 elements, 1 GiB of fp32 and 2 GiB of the double intermediates. A fuzzed or broken model (a scale of 1e9, a
 * pad of 2^40) fails clearly here, before anything is allocated; real CNN feature maps are far below it.
 */
final class OutputSizeLimit {
    static final long MAX_ELEMENTS = 1L << 28;

    private OutputSizeLimit() {
    }

    /** The output shape as int[], after checking every dimension and the element count. */
    static int[] check(OpContext ctx, long[] dims) {
        long n = 1;
        for (long d : dims) {
            if (d < 0) {
                throw ctx.fail("output shape " + Arrays.toString(dims) + " has a negative dimension");
            }
            if (d > MAX_ELEMENTS) {
                throw tooLarge(ctx, Arrays.toString(dims));
            }
            n *= d; // both factors are at most 2^28: no overflow
            if (n > MAX_ELEMENTS) {
                throw tooLarge(ctx, Arrays.toString(dims));
            }
        }
        int[] shape = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            shape[i] = (int) dims[i];
        }
        return shape;
    }

    /** The same check on the dimensions that type inference knows. */
    static void checkKnown(OpContext ctx, List<Dim> dims) {
        long n = 1;
        for (Dim d : dims) {
            if (!d.isKnown()) {
                continue;
            }
            if (d.value() > MAX_ELEMENTS) {
                throw tooLarge(ctx, dims.toString());
            }
            n *= d.value();
            if (n > MAX_ELEMENTS) {
                throw tooLarge(ctx, dims.toString());
            }
        }
    }

    private static RuntimeException tooLarge(OpContext ctx, String shape) {
        return ctx.fail("output shape " + shape + " has more than 2^28 elements, the most Octet allocates for one "
                + "tensor (are the scales, sizes or pads right?)");
    }
}
