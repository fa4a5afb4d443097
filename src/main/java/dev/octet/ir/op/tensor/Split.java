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

/**
 * Split (opsets 2, 11, 13): cuts a tensor along an axis into the sizes of {@code split} (an attribute before opset
 * 13, an optional input from 13), or into equal parts, one per output.
 */
final class Split implements Operator {
    @Override
    public String opType() {
        return "Split";
    }

    @Override
    public List<TensorType> inferTypes(InferenceContext ctx) {
        TensorType in = ctx.inputType(0);
        int axis = axis(ctx, in.rank());
        long[] split;
        if (ctx.opset() < 13) {
            split = ctx.attrs().getInts("split");
        } else if (!ctx.hasInput(1)) {
            split = null;
        } else if (ctx.constant(1) != null) {
            split = ShapeArgs.ints(ctx, ctx.constant(1), "split");
        } else {
            return types(in, axis, Dims.unknown(ctx.outputCount()));
        }
        Dim dim = in.dims().get(axis);
        if (split == null && !dim.isKnown()) {
            return types(in, axis, Dims.unknown(ctx.outputCount()));
        }
        long[] sizes = sizes(ctx, split, dim.isKnown() ? dim.value() : -1);
        List<Dim> dims = new ArrayList<>();
        for (long s : sizes) {
            dims.add(Dim.of(s));
        }
        return types(in, axis, dims);
    }

    @Override
    public List<Tensor> evaluate(EvalContext ctx) {
        Tensor x = ctx.input(0);
        int[] shape = x.shape();
        int axis = axis(ctx, shape.length);
        long[] split = ctx.opset() < 13 ? ctx.attrs().getInts("split")
                : ctx.hasInput(1) ? ShapeArgs.ints(ctx, ctx.input(1), "split") : null;
        long[] sizes = sizes(ctx, split, shape[axis]);
        int outer = Shapes.size(Arrays.copyOf(shape, axis));
        int inner = Shapes.size(Arrays.copyOfRange(shape, axis + 1, shape.length));
        List<Tensor> outs = new ArrayList<>();
        int offset = 0;
        for (long size : sizes) {
            int[] s = shape.clone();
            s[axis] = (int) size;
            int block = s[axis] * inner;
            Object out = Elements.newArray(x.dtype(), outer * block);
            for (int o = 0; o < outer; o++) {
                System.arraycopy(x.data(), o * shape[axis] * inner + offset, out, o * block, block);
            }
            offset += block;
            outs.add(Tensor.of(x.dtype(), s, out));
        }
        return outs;
    }

    private static int axis(OpContext ctx, int rank) {
        return ShapeArgs.axes(ctx, new long[] {ctx.attrs().getInt("axis", 0)}, rank, "axis")[0];
    }

    /** The size of each part; {@code dim} is -1 where the size of the axis is not known yet. */
    private static long[] sizes(OpContext ctx, long[] split, long dim) {
        int n = ctx.outputCount();
        if (split == null) {
            if (dim % n != 0) {
                throw ctx.fail("dimension " + dim + " cannot be split into " + n + " equal parts");
            }
            long[] sizes = new long[n];
            Arrays.fill(sizes, dim / n);
            return sizes;
        }
        if (split.length != n) {
            throw ctx.fail("split " + Arrays.toString(split) + " does not give one size per output (" + n + ")");
        }
        long sum = 0;
        for (long s : split) {
            if (s < 0 || s > Integer.MAX_VALUE) {
                throw ctx.fail("split " + Arrays.toString(split) + " has a size out of range");
            }
            sum += s;
        }
        if (dim >= 0 && sum != dim) {
            throw ctx.fail("split " + Arrays.toString(split) + " does not add up to dimension " + dim);
        }
        return split;
    }

    private static List<TensorType> types(TensorType in, int axis, List<Dim> sizes) {
        List<TensorType> out = new ArrayList<>();
        for (Dim size : sizes) {
            List<Dim> dims = new ArrayList<>(in.dims());
            dims.set(axis, size);
            out.add(new TensorType(in.dtype(), dims));
        }
        return out;
    }
}
