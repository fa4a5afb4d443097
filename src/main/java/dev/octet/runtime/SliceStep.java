package dev.octet.runtime;

import dev.octet.ir.DataType;
import dev.octet.ir.Tensor;
import java.util.Arrays;

/**
 * fp32 Slice as a strided copy. Starts and ends are normalised as ONNX defines (negative values count from the end,
 * then clamped to the axis, differently for a negative step); the sizes this gives must match the run's inferred
 * output shape, else the reference step runs (it is the meaning; this is only its fast path).
 */
public final class SliceStep implements Step {
    /** starts, ends, axes (null: 0, 1, ...) and steps (null: all 1) of one run. */
    public record Args(long[] starts, long[] ends, long[] axes, long[] steps) {
    }


    private final String input;
    private final String output;
    private final RunArguments<Args> args;
    private final Step reference;

    public SliceStep(String input, String output, RunArguments<Args> args, Step reference) {
        this.input = input;
        this.output = output;
        this.args = args;
        this.reference = reference;
    }

    @Override
    public void run(ExecutionContext ctx) {
        Tensor x = ctx.get(input);
        int[] in = x.shape();
        int rank = in.length;
        Args a = x.dtype() == DataType.FLOAT && ctx.hasStaticType(output) ? args.read(ctx) : null;
        int n = a == null || a.starts() == null || a.ends() == null ? -1 : a.starts().length;
        if (n < 0 || a.ends().length != n || (a.axes() != null && a.axes().length != n)
                || (a.steps() != null && a.steps().length != n)) {
            ctx.runReference(reference, this);
            return;
        }
        long[] start = new long[rank];
        long[] step = new long[rank];
        int[] shape = in.clone();
        Arrays.fill(step, 1);
        boolean[] seen = new boolean[rank];
        for (int i = 0; i < n; i++) {
            long ax = a.axes() == null ? i : a.axes()[i] < 0 ? a.axes()[i] + rank : a.axes()[i];
            long st = a.steps() == null ? 1 : a.steps()[i];
            if (ax < 0 || ax >= rank || seen[(int) ax] || st == 0) {
                ctx.runReference(reference, this); // the reference names the error
                return;
            }
            int axis = (int) ax;
            seen[axis] = true;
            long dim = in[axis];
            long s = a.starts()[i] < 0 ? a.starts()[i] + dim : a.starts()[i];
            long e = a.ends()[i] < 0 ? a.ends()[i] + dim : a.ends()[i];
            s = st > 0 ? clamp(s, 0, dim) : clamp(s, 0, dim - 1);
            e = st > 0 ? clamp(e, 0, dim) : clamp(e, -1, dim - 1);
            shape[axis] = dim == 0 ? 0 : (int) Math.max(0, Math.ceilDiv(e - s, st));
            start[axis] = s;
            // A step longer than the axis reads at most one element; bounding it keeps strides from overflowing.
            step[axis] = Math.max(-Math.max(dim, 1), Math.min(Math.max(dim, 1), st));
        }
        if (!Arrays.equals(shape, ctx.type(output).shape())) {
            ctx.runReference(reference, this);
            return;
        }
        long[] inStrides = StridedCopy.strides(in);
        long base = 0;
        long[] strides = new long[rank];
        for (int d = 0; d < rank; d++) {
            base += shape[d] == 0 ? 0 : start[d] * inStrides[d];
            strides[d] = step[d] * inStrides[d];
        }
        float[] out = ctx.allocate(Math.toIntExact(ctx.type(output).elementCount()));
        StridedCopy.copy(x.floats(), base, strides, out, 0, StridedCopy.strides(shape), shape);
        ctx.put(output, Tensor.of(DataType.FLOAT, shape, out));
    }

    private static long clamp(long v, long lo, long hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    @Override
    public String describe() {
        return "java Slice";
    }
}
