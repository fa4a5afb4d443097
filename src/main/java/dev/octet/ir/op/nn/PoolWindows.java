package dev.octet.ir.op.nn;

import dev.octet.ir.Dim;
import dev.octet.ir.TensorType;
import dev.octet.ir.op.OpContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The windows of a pooling operator over one N x C plane: for each output position, the input positions it
 * covers (padding left out), in row-major kernel order, and how many kernel positions lie inside the padded input
 * (the divisor of AveragePool with count_include_pad).
 *
 * <p>Along each axis the input coordinates of a window form an arithmetic progression, so its valid part is one
 * contiguous run of kernel offsets; a window is the product of those runs. Not thread-safe: one per evaluation.
 */
final class PoolWindows {
    private final int rank;
    private final int[] out;
    private final int[] inStrides;
    private final int[] dilations;
    private final int[][] first;
    private final int[][] count;
    private final int[][] padded;
    private final int[] coords;
    private final int maxWindow;

    PoolWindows(ConvGeometry.Window g) {
        rank = g.rank();
        out = g.out();
        inStrides = dev.octet.ir.Shapes.strides(g.in());
        dilations = g.dilations();
        first = new int[rank][];
        count = new int[rank][];
        padded = new int[rank][];
        coords = new int[rank];
        long largest = 1;
        for (int a = 0; a < rank; a++) {
            int k = g.kernel()[a];
            int d = dilations[a];
            int in = g.in()[a];
            first[a] = new int[out[a]];
            count[a] = new int[out[a]];
            padded[a] = new int[out[a]];
            int most = 0;
            for (int o = 0; o < out[a]; o++) {
                long start = (long) o * g.strides()[a] - g.padBegin()[a];
                long lo = Math.max(0, -Math.floorDiv(start, d));
                long hi = Math.min(k, Math.floorDiv(in - 1 - start, d) + 1);
                first[a][o] = (int) (start + lo * d);
                count[a][o] = (int) Math.max(0, hi - lo);
                padded[a][o] = (int) Math.min(k, Math.floorDiv(in + g.padEnd()[a] - 1 - start, d) + 1);
                most = Math.max(most, count[a][o]);
            }
            largest *= most;
        }
        maxWindow = (int) largest; // at most the input plane's size
    }

    /** Output dims [N, C, spatial...] of a pooling operator (kernel_shape, strides, pads... from attributes). */
    static List<Dim> outputDims(OpContext ctx, TensorType x) {
        if (x.rank() < 3) {
            throw ctx.fail("input X must be N x C x D1 x ... (rank 3 or more), got " + x);
        }
        long[] out = ConvGeometry.pool(ctx, x.rank() - 2).outputSizes(Convolution.spatial(Convolution.sizes(x)));
        List<Dim> dims = new ArrayList<>(x.dims().subList(0, 2));
        for (long o : out) {
            dims.add(o < 0 ? Dim.unknown() : Dim.of(o));
        }
        return dims;
    }

    /** The pooling geometry for a concrete input shape [N, C, spatial...]. */
    static ConvGeometry.Window geometry(OpContext ctx, int[] xShape) {
        return ConvGeometry.pool(ctx, xShape.length - 2).resolve(Arrays.copyOfRange(xShape, 2, xShape.length));
    }

    /** A buffer large enough for any window. */
    int[] buffer() {
        return new int[Math.max(1, maxWindow)];
    }

    int maxWindow() {
        return maxWindow;
    }

    /**
     * Writes the flat (row-major, within one plane) input offsets of output position o's window into buf and
     * returns how many there are (at least one: {@link ConvGeometry} refuses windows of padding only).
     */
    int window(int o, int[] buf) {
        Convolution.unravel(o, out, coords);
        buf[0] = 0;
        int n = 1;
        for (int a = 0; a < rank; a++) {
            int c0 = first[a][coords[a]];
            int m = count[a][coords[a]];
            int step = dilations[a] * inStrides[a];
            // Expands each partial offset into m offsets in place, from the back so no unread entry is overwritten.
            for (int i = n - 1; i >= 0; i--) {
                int base = buf[i] + c0 * inStrides[a];
                for (int j = m - 1; j >= 0; j--) {
                    buf[i * m + j] = base + j * step;
                }
            }
            n *= m;
        }
        return n;
    }

    /** Kernel positions of output position o's window inside the padded input (padding included). */
    long paddedCount(int o) {
        Convolution.unravel(o, out, coords);
        long p = 1;
        for (int a = 0; a < rank; a++) {
            p *= padded[a][coords[a]];
        }
        return p;
    }
}
