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
 * Slice (opsets 1, 10, 11, 13): starts/ends/axes are attributes before opset 10 and inputs (with steps) from 10.
 * Negative starts and ends count from the end; both are clamped to the axis, as ONNX defines for either sign of
 * step.
 */
final class Slice implements Operator {
    /** starts, ends, axes (null: the first axes) and steps (null: all 1) as given. */
    private record Args(long[] starts, long[] ends, long[] axes, long[] steps) {
    }

    /** For each input axis: the first index read, the step, and the output dimension. */
    private record Plan(long[] start, long[] step, List<Dim> dims) {
    }

    @Override
    public String opType() {
        return "Slice";
    }

    @Override
    public List<TensorType> inferTypes(InferenceContext ctx) {
        TensorType in = ctx.inputType(0);
        Args args;
        if (ctx.opset() < 10) {
            args = attributeArgs(ctx);
        } else if (ctx.constant(1) != null && ctx.constant(2) != null
                && (!ctx.hasInput(3) || ctx.constant(3) != null) && (!ctx.hasInput(4) || ctx.constant(4) != null)) {
            args = inputArgs(ctx, ctx.constant(1), ctx.constant(2), ctx.constant(3), ctx.constant(4));
        } else {
            return List.of(new TensorType(in.dtype(), unknownSlice(ctx, in.dims())));
        }
        return List.of(new TensorType(in.dtype(), plan(ctx, in.dims(), args).dims()));
    }

    @Override
    public List<Tensor> evaluate(EvalContext ctx) {
        Tensor x = ctx.input(0);
        Args args = ctx.opset() < 10 ? attributeArgs(ctx)
                : inputArgs(ctx, ctx.input(1), ctx.input(2), ctx.optionalInput(3), ctx.optionalInput(4));
        Plan plan = plan(ctx, Dims.of(x.shape()), args);
        int[] shape = Dims.concrete(plan.dims(), "Slice");
        int[] inStrides = Shapes.strides(x.shape());
        long base = 0;
        long[] strides = new long[shape.length];
        for (int a = 0; a < shape.length; a++) {
            base += shape[a] == 0 ? 0 : plan.start()[a] * inStrides[a];
            strides[a] = plan.step()[a] * inStrides[a];
        }
        return List.of(Elements.strided(x, shape, base, strides));
    }

    private static Args attributeArgs(OpContext ctx) {
        long[] starts = ctx.attrs().getInts("starts");
        long[] ends = ctx.attrs().getInts("ends");
        if (starts == null || ends == null) {
            throw ctx.fail("attributes 'starts' and 'ends' are required before opset 10");
        }
        return new Args(starts, ends, ctx.attrs().getInts("axes"), null);
    }

    private static Args inputArgs(OpContext ctx, Tensor starts, Tensor ends, Tensor axes, Tensor steps) {
        return new Args(ShapeArgs.ints(ctx, starts, "starts"), ShapeArgs.ints(ctx, ends, "ends"),
                axes == null ? null : ShapeArgs.ints(ctx, axes, "axes"),
                steps == null ? null : ShapeArgs.ints(ctx, steps, "steps"));
    }

    private static Plan plan(OpContext ctx, List<Dim> in, Args args) {
        int rank = in.size();
        int n = args.starts().length;
        long[] axesGiven = args.axes();
        if (axesGiven == null) {
            axesGiven = new long[n];
            Arrays.setAll(axesGiven, i -> i);
        }
        if (args.ends().length != n || axesGiven.length != n || (args.steps() != null && args.steps().length != n)) {
            throw ctx.fail("starts, ends, axes and steps must have the same length, got "
                    + Arrays.toString(args.starts()) + ", " + Arrays.toString(args.ends()) + ", "
                    + Arrays.toString(axesGiven) + ", " + Arrays.toString(args.steps()));
        }
        int[] axes = ShapeArgs.axes(ctx, axesGiven, rank, "axis");
        long[] start = new long[rank];
        long[] step = new long[rank];
        Arrays.fill(step, 1);
        List<Dim> dims = new ArrayList<>(in);
        for (int i = 0; i < n; i++) {
            int a = axes[i];
            long st = args.steps() == null ? 1 : args.steps()[i];
            if (st == 0) {
                throw ctx.fail("steps must not be 0");
            }
            Dim d = in.get(a);
            if (!d.isKnown()) {
                boolean whole = args.starts()[i] == 0 && args.ends()[i] >= Integer.MAX_VALUE && st == 1;
                dims.set(a, whole ? d : Dim.unknown());
                continue;
            }
            long dim = d.value();
            long s = args.starts()[i] < 0 ? args.starts()[i] + dim : args.starts()[i];
            long e = args.ends()[i] < 0 ? args.ends()[i] + dim : args.ends()[i];
            if (st > 0) {
                s = clamp(s, 0, dim);
                e = clamp(e, 0, dim);
            } else {
                s = clamp(s, 0, dim - 1);
                e = clamp(e, -1, dim - 1);
            }
            // An empty axis has no index to clamp a backward start to: nothing is read.
            long size = dim == 0 ? 0 : Math.max(0, Math.ceilDiv(e - s, st));
            start[a] = s;
            // A step longer than the axis reads one element; bounding it keeps strides from overflowing.
            step[a] = Math.max(-dim, Math.min(dim, st));
            dims.set(a, Dim.of(size));
        }
        return new Plan(start, step, dims);
    }

    /** Dimensions where starts or ends are not known before running: only untouched axes are known. */
    private static List<Dim> unknownSlice(InferenceContext ctx, List<Dim> in) {
        Tensor axes = ctx.hasInput(3) ? ctx.constant(3) : null;
        if (ctx.hasInput(3) && axes == null) {
            return Dims.unknown(in.size());
        }
        List<Dim> dims = new ArrayList<>(in);
        if (axes == null) {
            int n = ShapeArgs.length(ctx, ctx.inputType(1), "starts");
            for (int a = 0; a < n && a < dims.size(); a++) {
                dims.set(a, Dim.unknown());
            }
        } else {
            for (int a : ShapeArgs.axes(ctx, ShapeArgs.ints(ctx, axes, "axes"), in.size(), "axis")) {
                dims.set(a, Dim.unknown());
            }
        }
        return dims;
    }

    private static long clamp(long v, long lo, long hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
