package dev.octet.ir.op.tensor;

import dev.octet.ir.Dim;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.op.EvalContext;
import dev.octet.ir.op.InferenceContext;
import dev.octet.ir.op.OpContext;
import dev.octet.ir.op.Operator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Transpose (opsets 1, 13): output axis i is input axis perm[i]; perm defaults to reversing the axes. */
final class Transpose implements Operator {
    @Override
    public String opType() {
        return "Transpose";
    }

    @Override
    public List<TensorType> inferTypes(InferenceContext ctx) {
        TensorType in = ctx.inputType(0);
        int[] perm = perm(ctx, in.rank());
        List<Dim> dims = new ArrayList<>();
        for (int p : perm) {
            dims.add(in.dims().get(p));
        }
        return List.of(new TensorType(in.dtype(), dims));
    }

    @Override
    public List<Tensor> evaluate(EvalContext ctx) {
        Tensor x = ctx.input(0);
        return List.of(Elements.permute(x, x.shape(), perm(ctx, x.rank())));
    }

    private static int[] perm(OpContext ctx, int rank) {
        long[] given = ctx.attrs().getInts("perm");
        int[] perm = new int[rank];
        if (given == null) {
            for (int i = 0; i < rank; i++) {
                perm[i] = rank - 1 - i;
            }
            return perm;
        }
        if (given.length != rank) {
            throw ctx.fail("perm " + Arrays.toString(given) + " does not have one entry per axis of rank " + rank);
        }
        boolean[] seen = new boolean[rank];
        for (int i = 0; i < rank; i++) {
            if (given[i] < 0 || given[i] >= rank || seen[(int) given[i]]) {
                throw ctx.fail("perm " + Arrays.toString(given) + " is not a permutation of 0.." + (rank - 1));
            }
            perm[i] = (int) given[i];
            seen[perm[i]] = true;
        }
        return perm;
    }
}
