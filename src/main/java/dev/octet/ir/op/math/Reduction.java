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
            if (!keepDims(ctx)) {
                throw ctx.unsupported("axes that are not known before running, with keepdims=0");
            }
            for (int d = 0; d < x.rank(); d++) {
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
        int[] outShape = new int[shape.length];
        int groupSize = 1;
        List<Integer> kept = new ArrayList<>();
        for (int d = 0; d < shape.length; d++) {
            outShape[d] = reduced[d] ? 1 : shape[d];
            groupSize *= reduced[d] ? shape[d] : 1;
            if (!reduced[d] || keepDims(ctx)) {
                kept.add(outShape[d]);
            }
        }
        int outSize = Shapes.size(outShape);
        // Each input element goes to the output whose index is its own with the reduced coordinates set to 0.
        int[] outStrides = Shapes.strides(outShape);
        int[] idx = new int[shape.length];
        int[] fill = new int[outSize];
        boolean floats = x.dtype().isFloat();
        double[][] fGroups = floats ? new double[outSize][groupSize] : null;
        long[][] lGroups = floats ? null : new long[outSize][groupSize];
        for (int flat = 0; flat < x.size(); flat++) {
            int o = 0;
            for (int d = 0; d < shape.length; d++) {
                o += reduced[d] ? 0 : idx[d] * outStrides[d];
            }
            if (floats) {
                fGroups[o][fill[o]++] = x.getDouble(flat);
            } else {
                lGroups[o][fill[o]++] = x.getLong(flat);
            }
            for (int d = shape.length - 1; d >= 0; d--) {
                if (++idx[d] < shape[d]) {
                    break;
                }
                idx[d] = 0;
            }
        }
        int[] resultShape = kept.stream().mapToInt(Integer::intValue).toArray();
        if (floats) {
            double[] out = new double[outSize];
            for (int o = 0; o < outSize; o++) {
                out[o] = reduce(fGroups[o]);
            }
            return List.of(Tensor.ofDoubles(x.dtype(), resultShape, out));
        }
        long[] out = new long[outSize];
        for (int o = 0; o < outSize; o++) {
            out[o] = Elementwise.wrap(x.dtype(), reduce(ctx, x.dtype(), lGroups[o]));
        }
        return List.of(Tensor.of(x.dtype(), resultShape, out));
    }
}
