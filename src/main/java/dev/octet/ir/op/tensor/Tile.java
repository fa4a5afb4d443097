package dev.octet.ir.op.tensor;

import dev.octet.ir.Dim;
import dev.octet.ir.Shapes;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.op.EvalContext;
import dev.octet.ir.op.InferenceContext;
import dev.octet.ir.op.OpContext;
import dev.octet.ir.op.Operator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Tile (opsets 6, 13): repeats the input repeats[i] times along each axis i. */
final class Tile implements Operator {
    @Override
    public String opType() {
        return "Tile";
    }

    @Override
    public List<TensorType> inferTypes(InferenceContext ctx) {
        TensorType in = ctx.inputType(0);
        Tensor repeats = ctx.constant(1);
        if (repeats == null) {
            return List.of(new TensorType(in.dtype(), Dims.unknown(in.rank())));
        }
        return List.of(new TensorType(in.dtype(), outputDims(ctx, in.dims(), repeats(ctx, repeats, in.rank()))));
    }

    @Override
    public List<Tensor> evaluate(EvalContext ctx) {
        Tensor x = ctx.input(0);
        int[] in = x.shape();
        long[] repeats = repeats(ctx, ctx.input(1), in.length);
        int[] shape = Dims.concrete(outputDims(ctx, Dims.of(in), repeats), "Tile");
        // Tiling is the view [r0, d0, r1, d1, ...] of the input with stride 0 on each repeat axis.
        int[] inStrides = Shapes.strides(in);
        int[] view = new int[2 * in.length];
        long[] strides = new long[2 * in.length];
        for (int a = 0; a < in.length; a++) {
            view[2 * a] = in[a] == 0 ? 0 : (int) repeats[a];
            view[2 * a + 1] = in[a];
            strides[2 * a + 1] = inStrides[a];
        }
        return List.of(Elements.strided(x, view, 0, strides).reshape(shape));
    }

    private static long[] repeats(OpContext ctx, Tensor t, int rank) {
        long[] r = ShapeArgs.ints(ctx, t, "repeats");
        if (r.length != rank) {
            throw ctx.fail("repeats " + Arrays.toString(r) + " must have one entry per input axis (" + rank + ")");
        }
        for (long v : r) {
            if (v < 0) {
                throw ctx.fail("repeats " + Arrays.toString(r) + " has a negative entry");
            }
        }
        return r;
    }

    private static List<Dim> outputDims(OpContext ctx, List<Dim> in, long[] repeats) {
        List<Dim> dims = new ArrayList<>();
        for (int a = 0; a < in.size(); a++) {
            Dim d = in.get(a);
            dims.add(repeats[a] == 1 ? d : d.isKnown() ? Dim.of(Dims.times(d.value(), repeats[a], "Tile"))
                    : repeats[a] == 0 ? Dim.of(0) : Dim.unknown());
        }
        return Dims.checkSize(dims, "Tile");
    }
}
