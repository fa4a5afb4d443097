package dev.octet.runtime;

import java.util.ArrayList;
import java.util.List;

/**
 * The one loop nest of the fp32 data-movement steps: copies a block of the given shape from one strided view to
 * another, {@code dst[dBase + Σ i·dStride] = src[sBase + Σ i·sStride]}. Axes of size 1 are dropped and neighbouring
 * axes that are contiguous in both views are merged first, so a transpose of NCHW planes or a slice of whole channels
 * becomes a few long runs copied with {@link System#arraycopy}; only a truly strided innermost axis is copied element
 * by element.
 */
final class StridedCopy {
    private StridedCopy() {
    }

    static void copy(float[] src, long sBase, long[] sStrides, float[] dst, long dBase, long[] dStrides, int[] shape) {
        List<long[]> axes = new ArrayList<>(); // {size, sStride, dStride}, outermost first
        for (int a = 0; a < shape.length; a++) {
            if (shape[a] == 0) {
                return;
            }
            if (shape[a] == 1) {
                continue;
            }
            long[] axis = {shape[a], sStrides[a], dStrides[a]};
            long[] prev = axes.isEmpty() ? null : axes.get(axes.size() - 1);
            if (prev != null && prev[1] == axis[0] * axis[1] && prev[2] == axis[0] * axis[2]) {
                axes.set(axes.size() - 1, new long[] {prev[0] * axis[0], axis[1], axis[2]});
            } else {
                axes.add(axis);
            }
        }
        if (axes.isEmpty()) {
            dst[Math.toIntExact(dBase)] = src[Math.toIntExact(sBase)];
            return;
        }
        long[] inner = axes.remove(axes.size() - 1);
        int n = (int) inner[0];
        boolean run = inner[1] == 1 && inner[2] == 1;
        int rank = axes.size();
        long[] idx = new long[rank];
        long s = sBase;
        long d = dBase;
        while (true) {
            if (run) {
                System.arraycopy(src, (int) s, dst, (int) d, n);
            } else {
                int si = (int) s;
                int di = (int) d;
                int ss = (int) inner[1];
                int ds = (int) inner[2];
                for (int i = 0; i < n; i++, si += ss, di += ds) {
                    dst[di] = src[si];
                }
            }
            int a = rank - 1;
            while (a >= 0) {
                long[] ax = axes.get(a);
                s += ax[1];
                d += ax[2];
                if (++idx[a] < ax[0]) {
                    break;
                }
                s -= ax[1] * ax[0];
                d -= ax[2] * ax[0];
                idx[a] = 0;
                a--;
            }
            if (a < 0) {
                return;
            }
        }
    }

    /** Row-major strides of a shape, as longs. */
    static long[] strides(int[] shape) {
        long[] s = new long[shape.length];
        long acc = 1;
        for (int a = shape.length - 1; a >= 0; a--) {
            s[a] = acc;
            acc *= shape[a];
        }
        return s;
    }
}
