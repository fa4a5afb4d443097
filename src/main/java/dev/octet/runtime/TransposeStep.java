package dev.octet.runtime;

import dev.octet.ir.DataType;
import dev.octet.ir.Tensor;

/** fp32 Transpose as a strided copy: output axis i reads input axis perm[i]. */
public final class TransposeStep implements Step {
    private final String input;
    private final String output;
    private final int[] perm;
    private final Step reference;

    /** @param perm the permutation, or null for the default (axes reversed) */
    public TransposeStep(String input, String output, int[] perm, Step reference) {
        this.input = input;
        this.output = output;
        this.perm = perm == null ? null : perm.clone();
        this.reference = reference;
    }

    @Override
    public void run(ExecutionContext ctx) {
        Tensor x = ctx.get(input);
        int rank = x.rank();
        if (x.dtype() != DataType.FLOAT || (perm != null && perm.length != rank)) {
            ctx.runReference(reference, this);
            return;
        }
        int[] in = x.shape();
        long[] inStrides = StridedCopy.strides(in);
        int[] shape = new int[rank];
        long[] strides = new long[rank];
        for (int i = 0; i < rank; i++) {
            int p = perm == null ? rank - 1 - i : perm[i];
            shape[i] = in[p];
            strides[i] = inStrides[p];
        }
        float[] out = ctx.allocate(x.size());
        StridedCopy.copy(x.floats(), 0, strides, out, 0, StridedCopy.strides(shape), shape);
        ctx.put(output, Tensor.of(DataType.FLOAT, shape, out));
    }

    @Override
    public String describe() {
        return "java Transpose";
    }
}
