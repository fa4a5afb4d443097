package dev.octet.ir.op.nn;

import dev.octet.ir.DataType;
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

/**
 * ONNX Pad (opsets 2 to 17 as read from opset 9): pads are the {@code pads} attribute and the fill the
 * {@code value} attribute before opset 11, inputs 1 and 2 from opset 11. Modes constant, reflect (mirror without
 * repeating the edge, as numpy's "reflect", also past one reflection) and edge.
 *
 * <p>Negative pads crop. An axis is cropped first and the remaining elements padded, so reflect and edge mirror
 * the cropped data, as ONNX Runtime does.
 */
final class Pad implements Operator {
    @Override
    public String opType() {
        return "Pad";
    }

    @Override
    public List<TensorType> inferTypes(InferenceContext ctx) {
        TensorType x = ctx.inputType(0);
        mode(ctx);
        if (ctx.opset() >= 11) {
            TensorType pads = ctx.inputType(1);
            if (pads.dtype() != DataType.INT64) {
                throw ctx.fail("pads must be int64, got " + pads);
            }
            if (ctx.hasInput(2) && ctx.inputType(2).dtype() != x.dtype()) {
                throw ctx.fail("constant_value " + ctx.inputType(2) + " must have the input's type " + x.dtype());
            }
        }
        long[] pads = ctx.opset() >= 11 ? constantPads(ctx) : requiredPadsAttribute(ctx);
        List<Dim> out = new ArrayList<>();
        if (pads == null) {
            x.dims().forEach(d -> out.add(Dim.unknown()));
            return List.of(new TensorType(x.dtype(), out));
        }
        checkCount(ctx, pads, x.rank());
        for (int a = 0; a < x.rank(); a++) {
            Dim d = x.dims().get(a);
            long grow = grow(ctx, pads, a, x.rank());
            out.add(grow == 0 ? d : d.isKnown() ? Dim.of(outLength(ctx, d.value(), pads, a, x.rank()))
                    : Dim.unknown());
        }
        OutputSizeLimit.checkKnown(ctx, out);
        return List.of(new TensorType(x.dtype(), out));
    }

    @Override
    public List<Tensor> evaluate(EvalContext ctx) {
        Tensor x = ctx.input(0);
        String mode = mode(ctx);
        long[] pads = ctx.opset() >= 11 ? ctx.input(1).toLongs() : requiredPadsAttribute(ctx);
        int rank = x.rank();
        checkCount(ctx, pads, rank);
        long[] outDims = new long[rank];
        for (int a = 0; a < rank; a++) {
            outDims[a] = outLength(ctx, x.dim(a), pads, a, rank);
        }
        OutputSizeLimit.check(ctx, outDims);
        int[][] source = new int[rank][];
        for (int a = 0; a < rank; a++) {
            source[a] = axisSource(ctx, x.dim(a), pads[a], pads[a + rank], mode, a);
        }
        return List.of(AxisGather.gather(x, source, mode.equals("constant") ? fill(ctx, x.dtype()) : null));
    }

    /**
     * For one axis, the input index that each output index reads, −1 for the constant; null if the axis is not
     * padded. The axis is cropped by the negative pads first, then padded by the positive ones.
     */
    static int[] axisSource(OpContext ctx, int n, long begin, long end, String mode, int axis) {
        if (begin == 0 && end == 0) {
            return null;
        }
        long first = Math.max(0, -begin);
        long kept = n - first - Math.max(0, -end);
        if (kept < 0) {
            throw ctx.fail("pads " + begin + ", " + end + " crop more than the " + n + " elements of axis " + axis);
        }
        int padBefore = (int) Math.max(0, begin);
        int length = Math.toIntExact(kept + padBefore + Math.max(0, end));
        if (kept == 0 && length > 0 && !mode.equals("constant")) {
            throw ctx.fail(mode + " padding of axis " + axis + " needs at least one element to copy, it has none");
        }
        int[] source = new int[length];
        for (int o = 0; o < length; o++) {
            long p = o - padBefore;
            long k;
            if (p >= 0 && p < kept) {
                k = p;
            } else {
                k = switch (mode) {
                    case "edge" -> Math.clamp(p, 0, kept - 1);
                    case "reflect" -> reflect(p, kept);
                    default -> -1;
                };
            }
            source[o] = k < 0 ? -1 : (int) (first + k);
        }
        return source;
    }

    /** Index p mirrored into [0, n) without repeating the edge element: period 2(n − 1). */
    private static long reflect(long p, long n) {
        if (n == 1) {
            return 0;
        }
        long period = 2 * (n - 1);
        long q = Math.floorMod(p, period);
        return q < n ? q : period - q;
    }

    private static String mode(OpContext ctx) {
        String mode = ctx.attrs().getString("mode", "constant");
        return switch (mode) {
            case "constant", "reflect", "edge" -> mode;
            case "wrap" -> throw ctx.unsupported("Pad mode 'wrap' (opset 19)");
            default -> throw ctx.fail("mode must be constant, reflect or edge, got '" + mode + "'");
        };
    }

    private static long[] requiredPadsAttribute(OpContext ctx) {
        long[] pads = ctx.attrs().getInts("pads");
        if (pads == null) {
            throw ctx.fail("attribute 'pads' is required before opset 11");
        }
        return pads;
    }

    private static long[] constantPads(InferenceContext ctx) {
        Tensor pads = ctx.constant(1);
        return pads == null ? null : pads.toLongs();
    }

    private static void checkCount(OpContext ctx, long[] pads, int rank) {
        if (pads.length != 2 * rank) {
            throw ctx.fail("pads must have 2 × rank = " + 2 * rank + " values, got " + Arrays.toString(pads));
        }
    }

    private static long grow(OpContext ctx, long[] pads, int axis, int rank) {
        try {
            return Math.addExact(pads[axis], pads[axis + rank]);
        } catch (ArithmeticException e) {
            throw ctx.fail("pads " + Arrays.toString(pads) + " are out of range");
        }
    }

    private static long outLength(OpContext ctx, long n, long[] pads, int axis, int rank) {
        long grow = grow(ctx, pads, axis, rank);
        if (grow > OutputSizeLimit.MAX_ELEMENTS) {
            throw ctx.fail("pads " + Arrays.toString(pads) + " make axis " + axis + " longer than 2^28 elements");
        }
        long length = n + grow;
        if (length < 0) {
            throw ctx.fail("pads " + Arrays.toString(pads) + " crop more than the " + n + " elements of axis " + axis);
        }
        return length;
    }

    /** The constant: the constant_value input (opset 11+) or the value attribute, 0 where neither is given. */
    private static Tensor fill(EvalContext ctx, DataType dtype) {
        if (ctx.opset() >= 11) {
            Tensor c = ctx.hasInput(2) ? ctx.input(2) : null;
            if (c != null && c.size() > 0) {
                return c;
            }
            return AxisGather.fillValue(dtype, 0);
        }
        return AxisGather.fillValue(dtype, ctx.attrs().getFloat("value", 0f));
    }
}
