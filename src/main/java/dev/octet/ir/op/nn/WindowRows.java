package dev.octet.ir.op.nn;

import dev.octet.ir.Shapes;
import dev.octet.ir.op.OpContext;
import java.util.Arrays;

/**
 * The index map of a sliding window, tabulated so that the convolutions' inner loops run over contiguous rows.
 *
 * <p>A convolution maps an iterated position a (an output position) and a kernel offset k to the position
 * b = a·stride + k·dilation − padBegin of the other space (the input); a transposed convolution iterates over
 * input positions and maps them to output positions with the same formula. Positions are split into rows (all
 * spatial axes but the last) and a column (the last axis): for each kernel position kp and row r of the iterated
 * space, {@code rowBase[r·kernelSize + kp]} is the flat offset in the other space of that row's column 0, or -1 where the
 * row falls outside; column j then maps to {@code rowBase + colOffset[kp] + j·stride}, inside for j in
 * [lo[kp], hi[kp]).
 */
record WindowRows(int rows, int width, int stride, int[] rowBase, int[] colOffset, int[] lo, int[] hi) {
    /** Largest table (kernel positions x rows); real layers need a few thousand entries. */
    private static final long MAX_TABLE = 1L << 26;

    /**
     * @param iterated the sizes of the space the loops run over (the output of a convolution)
     * @param other the sizes of the space it maps into (the input of a convolution)
     */
    static WindowRows of(OpContext ctx, ConvGeometry.Window g, int[] iterated, int[] other) {
        int rank = g.rank();
        int last = rank - 1;
        int kSize = g.kernelSize();
        int width = iterated[last];
        if (Shapes.size(iterated) == 0 || Shapes.size(other) == 0) {
            throw ctx.unsupported("convolution over an empty spatial axis " + Arrays.toString(other));
        }
        int rows = Shapes.size(iterated) / width;
        if ((long) kSize * rows > MAX_TABLE) {
            throw ctx.unsupported("kernel " + Arrays.toString(g.kernel()) + " over " + Arrays.toString(iterated)
                    + " is too large for the reference implementation");
        }
        int stride = g.strides()[last];
        int[] rowBase = new int[kSize * rows];
        int[] colOffset = new int[kSize];
        int[] lo = new int[kSize];
        int[] hi = new int[kSize];
        int[] otherStrides = Shapes.strides(other);
        int[] k = new int[rank];
        int[] a = new int[rank];
        for (int kp = 0; kp < kSize; kp++) {
            Convolution.unravel(kp, g.kernel(), k);
            int off = k[last] * g.dilations()[last] - g.padBegin()[last];
            colOffset[kp] = off;
            lo[kp] = Math.max(0, -Math.floorDiv(off, stride));
            hi[kp] = Math.min(width, Math.floorDiv(other[last] - 1 - off, stride) + 1);
            for (int r = 0; r < rows; r++) {
                Convolution.unravel(r * width, iterated, a);
                int base = 0;
                for (int ax = 0; ax < last && base >= 0; ax++) {
                    int b = a[ax] * g.strides()[ax] + k[ax] * g.dilations()[ax] - g.padBegin()[ax];
                    base = b >= 0 && b < other[ax] ? base + b * otherStrides[ax] : -1;
                }
                rowBase[r * kSize + kp] = base;
            }
        }
        return new WindowRows(rows, width, stride, rowBase, colOffset, lo, hi);
    }
}
