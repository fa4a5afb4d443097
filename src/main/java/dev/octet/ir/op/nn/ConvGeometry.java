package dev.octet.ir.op.nn;

import dev.octet.ir.op.OpContext;
import java.util.Arrays;

/**
 * The spatial geometry of a sliding window, written once for convolution, transposed convolution and pooling:
 * kernel, strides, dilations, pads (explicit or by auto_pad), ceil_mode, output_padding/output_shape, and from them
 * the output size of each spatial axis and the pads actually applied.
 *
 * <p>Sizes are longs where -1 means unknown, so that type inference works before input sizes are bound; {@link
 * #resolve} gives the concrete {@link Window} for known input sizes. Attribute values are validated when read:
 * a fuzzed model's absurd stride or pad is one clear error, never an overflow or a huge allocation.
 */
final class ConvGeometry {
    /** Largest kernel, stride, dilation or pad accepted; far above any real network, small enough for long math. */
    static final long MAX_ATTRIBUTE = 1 << 20;

    enum AutoPad { NOTSET, SAME_UPPER, SAME_LOWER, VALID }

    enum Kind { CONV, CONV_TRANSPOSE, POOL }

    /**
     * Concrete geometry of one spatial window operation; arrays are per spatial axis, row-major (last axis
     * fastest). Input coordinate of output o and kernel offset k (convolution, pooling): o·stride + k·dilation −
     * padBegin. Output coordinate of input i and k (transposed convolution): i·stride + k·dilation − padBegin.
     */
    record Window(int[] in, int[] out, int[] kernel, int[] strides, int[] dilations, int[] padBegin, int[] padEnd) {
        int rank() {
            return in.length;
        }

        int inSize() {
            return product(in);
        }

        int outSize() {
            return product(out);
        }

        int kernelSize() {
            return product(kernel);
        }

        private static int product(int[] dims) {
            int p = 1;
            for (int d : dims) {
                p = Math.multiplyExact(p, d);
            }
            return p;
        }
    }

    private final OpContext ctx;
    private final Kind kind;
    private final int rank;
    private final long[] kernel;
    private final long[] strides;
    private final long[] dilations;
    private final long[] pads;
    private final AutoPad autoPad;
    private final boolean ceilMode;
    private final long[] outputPadding;
    private final long[] outputShape;

    private ConvGeometry(OpContext ctx, Kind kind, int rank, long[] weightKernel) {
        this.ctx = ctx;
        this.kind = kind;
        this.rank = rank;
        long[] attrKernel = ints("kernel_shape", rank, -1, 1, MAX_ATTRIBUTE);
        if (kind == Kind.POOL) {
            if (attrKernel.length > 0 && attrKernel[0] < 0) {
                throw ctx.fail("attribute 'kernel_shape' is required");
            }
            kernel = attrKernel;
        } else {
            kernel = weightKernel.clone();
            for (int i = 0; i < rank; i++) {
                if (kernel[i] < 0) {
                    kernel[i] = attrKernel[i];
                } else if (attrKernel[i] >= 0 && attrKernel[i] != kernel[i]) {
                    throw ctx.fail("kernel_shape " + Arrays.toString(attrKernel) + " does not match the weights' "
                            + "spatial shape " + Arrays.toString(weightKernel));
                }
            }
        }
        strides = ints("strides", rank, 1, 1, MAX_ATTRIBUTE);
        dilations = ints("dilations", rank, 1, 1, MAX_ATTRIBUTE);
        pads = ints("pads", 2 * rank, 0, 0, MAX_ATTRIBUTE);
        for (int i = 0; i < rank; i++) {
            if (kernel[i] >= 0 && extent(i) > MAX_ATTRIBUTE) {
                throw ctx.fail("kernel " + Arrays.toString(kernel) + " with dilations " + Arrays.toString(dilations)
                        + " spans more than " + MAX_ATTRIBUTE + " elements");
            }
        }
        autoPad = autoPad(ctx);
        ceilMode = kind == Kind.POOL && ctx.attrs().getInt("ceil_mode", 0) != 0;
        outputPadding = kind == Kind.CONV_TRANSPOSE ? ints("output_padding", rank, 0, 0, MAX_ATTRIBUTE) : null;
        outputShape = kind == Kind.CONV_TRANSPOSE && ctx.attrs().has("output_shape") ? outputShape(ctx, rank) : null;
    }

    /** Conv, ConvInteger, QLinearConv: the kernel is the weights' spatial shape (-1 where unknown). */
    static ConvGeometry conv(OpContext ctx, long[] weightKernel) {
        return new ConvGeometry(ctx, Kind.CONV, weightKernel.length, weightKernel);
    }

    /** ConvTranspose: as {@link #conv}, plus output_padding and output_shape. */
    static ConvGeometry convTranspose(OpContext ctx, long[] weightKernel) {
        return new ConvGeometry(ctx, Kind.CONV_TRANSPOSE, weightKernel.length, weightKernel);
    }

    /** MaxPool, AveragePool: kernel_shape is required; ceil_mode applies. */
    static ConvGeometry pool(OpContext ctx, int rank) {
        return new ConvGeometry(ctx, Kind.POOL, rank, null);
    }

    int rank() {
        return rank;
    }

    /** The output size of a spatial axis for an input size, or -1 where it cannot be known yet. */
    long outputSize(int axis, long in) {
        if (in > Integer.MAX_VALUE) {
            throw ctx.fail("spatial axis " + axis + " has size " + in + ", more than a tensor can hold");
        }
        boolean same = autoPad == AutoPad.SAME_UPPER || autoPad == AutoPad.SAME_LOWER;
        long s = strides[axis];
        long out;
        if (kind == Kind.CONV_TRANSPOSE && outputShape != null) {
            out = outputShape[axis];
        } else if (in < 0) {
            return -1;
        } else if (same) {
            out = kind == Kind.CONV_TRANSPOSE ? in * s : ceilDiv(in, s);
        } else if (kernel[axis] < 0) {
            return -1;
        } else if (kind == Kind.CONV_TRANSPOSE) {
            long p = autoPad == AutoPad.VALID ? 0 : pads[axis] + pads[axis + rank];
            out = s * (in - 1) + outputPadding[axis] + extent(axis) - p;
        } else {
            long padBegin = autoPad == AutoPad.VALID ? 0 : pads[axis];
            long span = in + padBegin + (autoPad == AutoPad.VALID ? 0 : pads[axis + rank]) - extent(axis);
            if (span < 0) {
                throw ctx.fail("spatial axis " + axis + ": the input size " + in + " plus pads is smaller than "
                        + "the kernel extent " + extent(axis) + " (kernel " + kernel[axis] + ", dilation "
                        + dilations[axis] + ")");
            }
            out = (ceilMode ? ceilDiv(span, s) : span / s) + 1;
            if (ceilMode && (out - 1) * s >= in + padBegin) {
                out--; // a last window starting in the right padding is dropped (as PyTorch and ONNX Runtime)
            }
        }
        if (out <= 0) {
            throw ctx.fail("spatial axis " + axis + " of size " + in + " gives output size " + out + " (kernel "
                    + kernel[axis] + ", stride " + s + ", dilation " + dilations[axis] + ", pads " + pads[axis]
                    + "," + pads[axis + rank] + "); expected a positive size");
        }
        if (kind == Kind.POOL && in >= 0) {
            checkWindowsTouchInput(axis, in, out);
        }
        return out;
    }

    /**
     * A pooling window that covers only padding has no value; ONNX leaves it undefined, Octet refuses it. Only
     * windows starting before or after the input can be empty, so only those (a few) are checked.
     */
    private void checkWindowsTouchInput(int axis, long in, long out) {
        long s = strides[axis];
        long padBegin = pads(axis, in, out)[0];
        long headEnd = Math.min(out, ceilDiv(padBegin, s));
        for (long o = 0; o < headEnd; o++) {
            checkWindow(axis, in, o * s - padBegin);
        }
        for (long o = Math.max(headEnd, ceilDiv(in + padBegin, s)); o < out; o++) {
            checkWindow(axis, in, o * s - padBegin);
        }
    }

    private void checkWindow(int axis, long in, long start) {
        long d = dilations[axis];
        long first = Math.max(0, ceilDiv(-start, d)); // the first kernel offset at or after coordinate 0
        if (first >= kernel[axis] || start + first * d >= in) {
            throw ctx.fail("spatial axis " + axis + ": a pooling window starting at " + start + " covers only "
                    + "padding (kernel " + kernel[axis] + ", stride " + strides[axis] + ", dilation " + d
                    + ", pads " + pads[axis] + "," + pads[axis + rank] + ")");
        }
    }

    /** Output sizes for all spatial axes (-1 where unknown). */
    long[] outputSizes(long[] in) {
        long[] out = new long[rank];
        for (int i = 0; i < rank; i++) {
            out[i] = outputSize(i, in[i]);
        }
        return out;
    }

    /** The concrete window for known input sizes (and a known kernel). */
    Window resolve(int[] in) {
        int[] out = new int[rank];
        int[] padBegin = new int[rank];
        int[] padEnd = new int[rank];
        for (int i = 0; i < rank; i++) {
            long o = outputSize(i, in[i]);
            if (o > Integer.MAX_VALUE) {
                throw ctx.fail("spatial axis " + i + ": output size " + o + " is too large");
            }
            out[i] = (int) o;
            long[] p = pads(i, in[i], out[i]);
            padBegin[i] = Math.toIntExact(p[0]);
            padEnd[i] = Math.toIntExact(p[1]);
        }
        int[] k = new int[rank];
        int[] s = new int[rank];
        int[] d = new int[rank];
        for (int i = 0; i < rank; i++) {
            k[i] = Math.toIntExact(kernel[i]);
            s[i] = (int) strides[i];
            d[i] = (int) dilations[i];
        }
        return new Window(in.clone(), out, k, s, d, padBegin, padEnd);
    }

    /** The pads {begin, end} applied on an axis, for known input and output sizes. */
    private long[] pads(int axis, long in, long out) {
        boolean same = autoPad == AutoPad.SAME_UPPER || autoPad == AutoPad.SAME_LOWER;
        if (kind == Kind.CONV_TRANSPOSE && (outputShape != null || same)) {
            return split(strides[axis] * (in - 1) + outputPadding[axis] + extent(axis) - out);
        } else if (same) {
            return split(Math.max(0, (out - 1) * strides[axis] + extent(axis) - in));
        } else if (autoPad == AutoPad.VALID) {
            return new long[] {0, 0};
        }
        return new long[] {pads[axis], pads[axis + rank]};
    }

    /**
     * Splits a total pad into {begin, end}: the odd unit goes to the end for SAME_UPPER, to the beginning
     * otherwise (as ONNX defines it for Conv and ConvTranspose). A negative total (an output_shape beyond the full
     * transposed output) makes a negative pad at the end, which extends the output there.
     */
    private long[] split(long total) {
        long half = Math.floorDiv(total, 2);
        return autoPad == AutoPad.SAME_UPPER ? new long[] {half, total - half} : new long[] {total - half, half};
    }

    /** The span the dilated kernel covers: (k − 1)·d + 1. */
    private long extent(int axis) {
        return (kernel[axis] - 1) * dilations[axis] + 1;
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }

    /** An INTS attribute of the given length, each value in [min, max]; dflt fills it where absent. */
    private long[] ints(String name, int length, long dflt, long min, long max) {
        long[] v = ctx.attrs().getInts(name);
        if (v == null || v.length == 0) { // some exporters write an empty list for "absent"
            long[] filled = new long[length];
            Arrays.fill(filled, dflt);
            return filled;
        }
        if (v.length != length) {
            throw ctx.fail("attribute '" + name + "' has " + v.length + " values, expected " + length
                    + " for " + rank + " spatial axes");
        }
        for (long x : v) {
            if (x < min || x > max) {
                throw ctx.fail("attribute '" + name + "' = " + Arrays.toString(v) + ": values must be in ["
                        + min + ", " + max + "]");
            }
        }
        return v;
    }

    private long[] outputShape(OpContext ctx, int rank) {
        long[] v = ctx.attrs().getInts("output_shape");
        if (v.length != rank) {
            throw ctx.fail("attribute 'output_shape' has " + v.length + " values, expected one per spatial axis ("
                    + rank + ")");
        }
        for (long x : v) {
            if (x < 1 || x > Integer.MAX_VALUE) {
                throw ctx.fail("attribute 'output_shape' = " + Arrays.toString(v) + ": sizes must be positive");
            }
        }
        return v;
    }

    private static AutoPad autoPad(OpContext ctx) {
        String s = ctx.attrs().getString("auto_pad", "NOTSET");
        return switch (s) {
            case "NOTSET", "" -> AutoPad.NOTSET;
            case "SAME_UPPER" -> AutoPad.SAME_UPPER;
            case "SAME_LOWER" -> AutoPad.SAME_LOWER;
            case "VALID" -> AutoPad.VALID;
            default -> throw ctx.fail("attribute 'auto_pad' is '" + s
                    + "', expected NOTSET, SAME_UPPER, SAME_LOWER or VALID");
        };
    }
}
