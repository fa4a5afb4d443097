package dev.octet.runtime.jvm;

import dev.octet.kernel.Config;
import dev.octet.kernel.ConvGemmTemplate;
import dev.octet.kernel.ConvWorkload;
import dev.octet.runtime.Kernel;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * The loop nest of {@link ConvGemmTemplate} on the JVM, shared by the Vector API kernel and its scalar twin: the
 * same arguments, work items ({@link ConvGemmTemplate#parallelRange}: pixel blocks × output-channel slices), packed weights (MR-row panels) and
 * knobs ({@code nc}, {@code kc}, {@code order}). For each block and group it packs {@code kc} reduction steps of
 * the im2col patch into NR-wide panels, multiplies them with the weight panels tile by tile (the subclass's
 * micro-kernel), and applies the epilogue to the block once its reduction is complete.
 *
 * <p>Packing copies runs, not elements: a block's pixels are cut into runs along output rows; for one reduction
 * step (channel, kernel row, kernel column) a run's input lies on one input row, so it is a zero-filled head and
 * tail around one contiguous (stride 1) or strided copy. Even so it takes a fifth (256 channels) to a third (64
 * channels) of a 3×3 ResNet layer's time with 16-lane vectors, since the multiply's work per packed value is
 * proportional to the output channels.
 */
abstract class ConvGemmLoopNest implements Kernel {
    static final int MR = ConvGemmTemplate.MR;

    final ConvWorkload w;
    final JvmEpilogue epilogue;
    private final int nc;
    private final int kc;
    private final int order;
    private final int nr;
    /** log2(nr): packing locates a pixel's panel and lane by shift and mask, not by division. */
    private final int nrShift;
    private final String name;

    /** @param nr the micro-kernel's tile width: the pixels of one packed panel */
    ConvGemmLoopNest(ConvWorkload w, Config c, int nr, String name) {
        this.w = w;
        this.epilogue = new JvmEpilogue(w.epilogue());
        this.nc = c.get("nc");
        this.kc = c.get("kc");
        this.order = c.get("order");
        if (Integer.bitCount(nr) != 1) {
            throw new IllegalArgumentException("the tile width must be a power of two, got " + nr);
        }
        this.nr = nr;
        this.nrShift = Integer.numberOfTrailingZeros(nr);
        this.name = name + c;
    }

    /**
     * c[r·ldc + j] = (accumulate ? c[r·ldc + j] : 0) + Σ_k a[aOff + k·MR + r] · b[bOff + k·nr + j] for r below rows
     * and j below cols, in element indices of c; nothing else of c is touched. Both panels are zero-padded to
     * MR × nr.
     */
    abstract void tile(int klen, float[] a, int aOff, float[] b, int bOff, MemorySegment c, long cIndex, long ldc,
            int rows, int cols, boolean accumulate, Scratch scratch);

    /** The epilogue on out[index, index + n), all of one output channel whose bias is given. */
    abstract void epilogueRow(MemorySegment out, long index, int n, float bias, MemorySegment res);

    @Override
    public String name() {
        return name;
    }

    @Override
    public final void invoke(MemorySegment[] buffers, long[] scalars, long begin, long end) {
        ConvArgs a = ConvArgs.of(name, w.epilogue(), buffers, scalars);
        Scratch scratch = Scratch.get();
        float[] weights = ConvArgs.backingArray(a.w());
        if (weights == null) {
            weights = scratch.weights(a.w());
        }
        int m = w.outPerGroup();
        int k = w.reduction();
        int mp = (m + MR - 1) / MR * MR;
        long p = (long) a.oh() * a.ow();
        long blocks = (p + nc - 1) / nc;
        int most = (int) Math.min(nc, p);
        float[] bp = scratch.panels(Math.min(kc, k) * ((most + nr - 1) / nr) * nr);
        int[] runs = scratch.runs(4 * (most + 1));
        FloatSource in = FloatSource.of(a.in());
        int slices = ConvGemmTemplate.slices(w);
        for (long idx = begin / slices; idx * slices < end; idx++) { // the template's pixel blocks and slices
            int b = (int) (idx / blocks);
            long n0 = (idx % blocks) * nc;
            int nlen = (int) Math.min(nc, p - n0);
            int mlo = (int) Math.max(0, begin - idx * slices) * MR;
            int mhi = (int) Math.min(m, Math.min(slices, end - idx * slices) * MR);
            int nruns = w.pointwise() ? 0 : rowRuns(n0, nlen, a.ow(), runs);
            for (int g = 0; g < w.groups(); g++) {
                long outBase = ((long) b * w.outChannels() + (long) g * m) * p + n0;
                long inPlanes = (long) b * w.inChannels() + (long) g * w.inPerGroup();
                for (int k0 = 0; k0 < k; k0 += kc) {
                    int klen = Math.min(kc, k - k0);
                    if (w.pointwise()) {
                        packRows(in, (inPlanes + k0) * p + n0, p, bp, klen, nlen);
                    } else {
                        packPatch(a, in, inPlanes, k0, bp, klen, nlen, runs, nruns);
                    }
                    multiply(weights, g * mp * k + k0 * MR, k, bp, klen, a.out(), outBase, p, mlo, mhi, m, nlen,
                            k0 > 0, scratch);
                }
                if (!epilogue.isEmpty()) {
                    for (int i = mlo; i < mhi; i++) {
                        epilogueRow(a.out(), outBase + i * p, nlen, a.biasOf(g * m + i), a.res());
                    }
                }
            }
        }
    }

    /** Rows [mlo, mhi) of the block; mlo is a multiple of MR. */
    private void multiply(float[] wts, int aBase, int k, float[] bp, int klen, MemorySegment out, long outBase,
            long p, int mlo, int mhi, int m, int nlen, boolean accumulate, Scratch scratch) {
        if (order == 0) {
            for (int i0 = mlo; i0 < mhi; i0 += MR) {
                for (int j = 0; j < nlen; j += nr) {
                    tile(klen, wts, aBase + i0 * k, bp, j * klen, out, outBase + i0 * p + j, p,
                            Math.min(MR, m - i0), Math.min(nr, nlen - j), accumulate, scratch);
                }
            }
        } else {
            for (int j = 0; j < nlen; j += nr) {
                for (int i0 = mlo; i0 < mhi; i0 += MR) {
                    tile(klen, wts, aBase + i0 * k, bp, j * klen, out, outBase + i0 * p + j, p,
                            Math.min(MR, m - i0), Math.min(nr, nlen - j), accumulate, scratch);
                }
            }
        }
    }

    /** Cuts pixels [n0, n0 + nlen) into runs along output rows: (y, x, first pixel, length) in fours. */
    private static int rowRuns(long n0, int nlen, int ow, int[] runs) {
        int y = (int) (n0 / ow);
        int x = (int) (n0 % ow);
        int n = 0;
        for (int jj = 0; jj < nlen; n++) {
            int len = Math.min(ow - x, nlen - jj);
            runs[4 * n] = y;
            runs[4 * n + 1] = x;
            runs[4 * n + 2] = jj;
            runs[4 * n + 3] = len;
            jj += len;
            x = 0;
            y++;
        }
        return n;
    }

    /** 1×1 stride-1 unpadded: reduction step kk of the block is the contiguous row in[row0 + kk·p, + nlen). */
    private void packRows(FloatSource in, long row0, long p, float[] bp, int klen, int nlen) {
        for (int kk = 0; kk < klen; kk++) {
            copy(in, row0 + kk * p, 1, bp, kk, klen, 0, nlen);
            zero(bp, kk, klen, nlen, panelsOf(nlen) * nr - nlen);
        }
    }

    /** The im2col patch of reduction steps [k0, k0 + klen) for the block's row runs. */
    private void packPatch(ConvArgs a, FloatSource in, long inPlanes, int k0, float[] bp, int klen, int nlen, int[] runs,
            int nruns) {
        int kw = w.kernelW();
        int khw = w.kernelH() * kw;
        int sh = w.strideH();
        int sw = w.strideW();
        int h = a.h();
        int wd = a.wd();
        for (int kk = 0; kk < klen; kk++) {
            int kx = k0 + kk;
            int r = kx % khw;
            int dy = r / kw * w.dilationH() - a.pt();
            int dx = r % kw * w.dilationW() - a.pl();
            long plane = (inPlanes + kx / khw) * h * wd;
            // Output columns x whose input column x·sw + dx lies in [0, wd).
            int lo = dx >= 0 ? 0 : (-dx + sw - 1) / sw;
            int hi = wd - 1 - dx < 0 ? 0 : (wd - 1 - dx) / sw + 1;
            for (int i = 0; i < nruns; i++) {
                int y = runs[4 * i];
                int x = runs[4 * i + 1];
                int jj = runs[4 * i + 2];
                int len = runs[4 * i + 3];
                int ih = y * sh + dy;
                if (ih < 0 || ih >= h) {
                    zero(bp, kk, klen, jj, len);
                    continue;
                }
                int xa = Math.clamp(lo, x, x + len);
                int xb = Math.clamp(hi, xa, x + len);
                zero(bp, kk, klen, jj, xa - x);
                copy(in, plane + (long) ih * wd + (long) xa * sw + dx, sw, bp, kk, klen, jj + xa - x, xb - xa);
                zero(bp, kk, klen, jj + xb - x, x + len - xb);
            }
            zero(bp, kk, klen, nlen, panelsOf(nlen) * nr - nlen);
        }
    }

    private int panelsOf(int n) {
        return (n + nr - 1) / nr;
    }

    /** Packed pixels [jj, jj + n) of reduction step kk = in[src + t·stride], t in [0, n). */
    private void copy(FloatSource in, long src, int stride, float[] bp, int kk, int klen, int jj, int n) {
        while (n > 0) {
            int lane = jj & (nr - 1);
            int chunk = Math.min(n, nr - lane);
            int dst = (((jj >> nrShift) * klen + kk) << nrShift) + lane;
            in.copyTo(src, stride, bp, dst, chunk);
            jj += chunk;
            n -= chunk;
            src += (long) chunk * stride;
        }
    }

    /** Packed pixels [jj, jj + n) of reduction step kk = 0 (padding, and lanes past the block's end). */
    private void zero(float[] bp, int kk, int klen, int jj, int n) {
        while (n > 0) {
            int lane = jj & (nr - 1);
            int chunk = Math.min(n, nr - lane);
            int dst = (((jj >> nrShift) * klen + kk) << nrShift) + lane;
            Arrays.fill(bp, dst, dst + chunk, 0f);
            jj += chunk;
            n -= chunk;
        }
    }
}
