package dev.octet.ir.op.math;

import dev.octet.ir.DataType;
import dev.octet.ir.Dim;
import dev.octet.ir.Shapes;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.op.EvalContext;
import dev.octet.ir.op.InferenceContext;
import dev.octet.ir.op.OpContext;
import dev.octet.ir.op.Operator;
import java.util.ArrayList;
import java.util.List;

/**
 * A reduction over some axes (ReduceMean, ReduceSum, ReduceMax): {@code axes} is an attribute, or from opset 13 an
 * optional input for ReduceSum; absent or empty axes reduce every axis (unless {@code noop_with_empty_axes} says
 * otherwise); {@code keepdims} (default 1) keeps reduced axes with size 1. A subclass reduces one group of values:
 * the elements that land on one output, in row-major order.
 */
abstract class Reduction implements Operator {
    private final String opType;

    Reduction(String opType) {
        this.opType = opType;
    }

    @Override
    public final String opType() {
        return opType;
    }

    /** Reduces float values; the result is rounded once to the element type. */
    abstract double reduce(double[] values);

    /** Reduces integer values exactly; the result is wrapped to the element type. */
    abstract long reduce(OpContext ctx, DataType t, long[] values);

    /** Whether this opset takes the axes as input 1 (ReduceSum from 13) rather than as an attribute. */
    boolean axesAreInput(int opset) {
        return false;
    }

    /** The reduced axes as flags, or null where the axes are an input whose value is not known yet. */
    private boolean[] reducedAxes(OpContext ctx, int rank, Tensor axesInput) {
        long[] axes;
        if (axesAreInput(ctx.opset())) {
            if (ctx.hasInput(1) && axesInput == null) {
                return null;
            }
            axes = axesInput == null ? new long[0] : axesInput.toLongs();
        } else {
            axes = ctx.attrs().getInts("axes", new long[0]);
        }
        boolean[] reduced = new boolean[rank];
        if (axes.length == 0) {
            boolean noop = axesAreInput(ctx.opset()) && ctx.attrs().getInt("noop_with_empty_axes", 0) != 0;
            java.util.Arrays.fill(reduced, !noop);
            return reduced;
        }
        for (long a : axes) {
            if (a < -rank || a >= rank) {
                throw ctx.fail("axis " + a + " is out of range for rank " + rank);
            }
            int axis = (int) (a < 0 ? a + rank : a);
            if (reduced[axis]) {
                throw ctx.fail("axis " + a + " is given twice");
            }
            reduced[axis] = true;
        }
        return reduced;
    }

    private static boolean keepDims(OpContext ctx) {
        return ctx.attrs().getInt("keepdims", 1) != 0;
    }

    @Override
    public List<TensorType> inferTypes(InferenceContext ctx) {
        TensorType x = ctx.inputType(0);
        Elementwise.check(ctx, "input", x.dtype(), Elementwise.NUMERIC);
        if (axesAreInput(ctx.opset()) && ctx.hasInput(1)) {
            Elementwise.check(ctx, "axes", ctx.inputType(1).dtype(), java.util.EnumSet.of(DataType.INT64));
        }
        boolean[] reduced = reducedAxes(ctx, x.rank(), axesAreInput(ctx.opset()) ? ctx.constant(1) : null);
        List<Dim> dims = new ArrayList<>();
        if (reduced == null) {
            // Only the rank can be known: from the number of axes where keepdims drops them.
            int rank = x.rank();
            if (!keepDims(ctx)) {
                TensorType axes = ctx.inputType(1);
                if (axes.rank() != 1 || !axes.dims().get(0).isKnown()) {
                    throw ctx.unsupported("axes whose number is not known before running, with keepdims=0");
                }
                long count = axes.dims().get(0).value();
                boolean noop = ctx.attrs().getInt("noop_with_empty_axes", 0) != 0;
                rank = count == 0 ? (noop ? rank : 0) : (int) Math.max(0, rank - count);
            }
            for (int d = 0; d < rank; d++) {
                dims.add(Dim.unknown());
            }
        } else {
            for (int d = 0; d < x.rank(); d++) {
                if (!reduced[d]) {
                    dims.add(x.dims().get(d));
                } else if (keepDims(ctx)) {
                    dims.add(Dim.of(1));
                }
            }
        }
        return List.of(new TensorType(x.dtype(), dims));
    }

    @Override
    public List<Tensor> evaluate(EvalContext ctx) {
        Tensor x = ctx.input(0);
        int[] shape = x.shape();
        boolean[] reduced = reducedAxes(ctx, shape.length,
                axesAreInput(ctx.opset()) ? ctx.optionalInput(1) : null);
        boolean[] kept = new boolean[shape.length];
        List<Integer> outShape = new ArrayList<>();
        for (int d = 0; d < shape.length; d++) {
            kept[d] = !reduced[d];
            if (kept[d]) {
                outShape.add(shape[d]);
            } else if (keepDims(ctx)) {
                outShape.add(1);
            }
        }
        // Output o reads the input at starts[o] + offsets[k] for every k: the kept coordinates give the start,
        // the reduced ones the offsets, both in row-major order.
        int[] strides = Shapes.strides(shape);
        int[] starts = offsets(shape, strides, kept);
        int[] offsets = offsets(shape, strides, reduced);
        int[] resultShape = outShape.stream().mapToInt(Integer::intValue).toArray();
        if (x.dtype().isFloat()) {
            double[] out = new double[starts.length];
            double[] group = new double[offsets.length];
            for (int o = 0; o < out.length; o++) {
                for (int k = 0; k < group.length; k++) {
                    group[k] = x.getDouble(starts[o] + offsets[k]);
                }
                out[o] = reduce(group);
            }
            return List.of(Tensor.ofDoubles(x.dtype(), resultShape, out));
        }
        long[] out = new long[starts.length];
        long[] group = new long[offsets.length];
        for (int o = 0; o < out.length; o++) {
            for (int k = 0; k < group.length; k++) {
                group[k] = x.getLong(starts[o] + offsets[k]);
            }
            out[o] = Elementwise.wrap(x.dtype(), reduce(ctx, x.dtype(), group));
        }
        return List.of(Tensor.of(x.dtype(), resultShape, out));
    }

    /** The flat offsets of every coordinate over the selected dimensions (the others at 0), in row-major order. */
    private static int[] offsets(int[] shape, int[] strides, boolean[] selected) {
        int[] sub = new int[shape.length];
        for (int d = 0; d < shape.length; d++) {
            sub[d] = selected[d] ? shape[d] : 1;
        }
        int[] out = new int[Shapes.size(sub)];
        int[] idx = new int[shape.length];
        for (int i = 0; i < out.length; i++) {
            int off = 0;
            for (int d = 0; d < shape.length; d++) {
                off += idx[d] * strides[d];
            }
            out[i] = off;
            for (int d = shape.length - 1; d >= 0; d--) {
                if (++idx[d] < sub[d]) {
                    break;
                }
                idx[d] = 0;
            }
        }
        return out;
    }
}
