package dev.octet.ir.op.tensor;

import dev.octet.ir.Dim;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.op.OpContext;
import java.util.List;

/** Reading the shape-like arguments (shapes, axes, repeats, starts) of the shape operators. */
final class ShapeArgs {
    private ShapeArgs() {
    }

    /** The values of an integer scalar or 1-D tensor; fails clearly on anything else. */
    static long[] ints(OpContext ctx, Tensor t, String what) {
        if (!t.dtype().isInteger() || t.rank() > 1) {
            throw ctx.fail(what + " must be a 1-D integer tensor, got " + t.type());
        }
        return t.toLongs();
    }

    /** Resolves possibly negative axes against a rank; fails on one out of range or given twice. */
    static int[] axes(OpContext ctx, long[] axes, int rank, String what) {
        int[] out = new int[axes.length];
        boolean[] seen = new boolean[rank];
        for (int i = 0; i < axes.length; i++) {
            if (axes[i] < -rank || axes[i] >= rank) {
                throw ctx.fail(what + " " + axes[i] + " is out of range for rank " + rank);
            }
            out[i] = (int) (axes[i] < 0 ? axes[i] + rank : axes[i]);
            if (seen[out[i]]) {
                throw ctx.fail(what + " " + axes[i] + " is given twice");
            }
            seen[out[i]] = true;
        }
        return out;
    }

    /**
     * The length of a 1-D shape-like input whose value is not known before running, from its type. Octet cannot
     * represent a tensor of unknown rank, so an input whose length is unknown too is unsupported.
     */
    static int length(OpContext ctx, TensorType type, String what) {
        List<Dim> dims = type.dims();
        if (dims.size() != 1) {
            throw ctx.fail(what + " must be 1-D, got " + type);
        }
        if (!dims.get(0).isKnown()) {
            throw ctx.unsupported(what + " must be a constant, or at least of known length, to know the output rank");
        }
        if (dims.get(0).value() > Integer.MAX_VALUE) {
            throw ctx.fail(what + " has " + dims.get(0).value() + " elements");
        }
        return (int) dims.get(0).value();
    }
}
