package dev.octet.runtime.jvm;

import static dev.octet.runtime.jvm.ConvArgs.F32;

import dev.octet.kernel.Config;
import dev.octet.kernel.ConvWorkload;
import dev.octet.runtime.Kernel;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * The loop nest of {@link dev.octet.kernel.DepthwiseTemplate} on the JVM, shared by the Vector API kernel and its
 * scalar twin: the same arguments, work items ({@code batch × channels} planes) and weights. Each output row sums
 * its kernel's taps in (kh, kw) order into a row buffer; for each tap the output columns whose input lies inside the
 * image are computed once, so the summing loop (the subclass's) has no bounds checks. The row then gets the
 * epilogue in place in the output. The template's knobs ({@code rows}, {@code inner}) shape the C loops only.
 */
abstract class DepthwiseLoopNest implements Kernel {
    final ConvWorkload w;
    final JvmEpilogue epilogue;
    private final String name;

    DepthwiseLoopNest(ConvWorkload w, Config c, String name) {
        if (!w.isDepthwise()) {
            throw new IllegalArgumentException("not a depthwise convolution: " + w.key());
        }
        this.w = w;
        this.epilogue = new JvmEpilogue(w.epilogue());
        this.name = name + c;
    }

    /** acc[x] += wv · in[src + x·stride] for x in [lo, hi), src in elements. */
    abstract void accumulate(float[] acc, MemorySegment in, long src, int stride, float wv, int lo, int hi);

    /** The epilogue on out[index, index + n) of one channel whose bias is given. */
    abstract void epilogueRow(MemorySegment out, long index, int n, float bias, MemorySegment res);

    @Override
    public String name() {
        return name;
    }

    @Override
    public final void invoke(MemorySegment[] buffers, long[] scalars, long begin, long end) {
        ConvArgs a = ConvArgs.of(name, w.epilogue(), buffers, scalars);
        int kh = w.kernelH();
        int kw = w.kernelW();
        int s = w.strideW();
        int h = a.h();
        int wd = a.wd();
        int ow = a.ow();
        float[] acc = Scratch.get().tile(ow);
        for (long idx = begin; idx < end; idx++) {
            int ch = (int) (idx % w.outChannels());
            long inPlane = idx * h * wd;
            for (int y = 0; y < a.oh(); y++) {
                Arrays.fill(acc, 0, ow, 0f);
                for (int i = 0; i < kh; i++) {
                    int ih = y * w.strideH() - a.pt() + i * w.dilationH();
                    if (ih < 0 || ih >= h) {
                        continue;
                    }
                    for (int j = 0; j < kw; j++) {
                        int off = j * w.dilationW() - a.pl();
                        // Output columns x with 0 <= x·s + off < W.
                        int lo = Math.max(0, (s - 1 - off) / s);
                        int last = wd - 1 - off;
                        int hi = last < 0 ? 0 : Math.min(ow, last / s + 1);
                        if (lo < hi) {
                            float wv = a.w().getAtIndex(F32, ((long) ch * kh + i) * kw + j);
                            accumulate(acc, a.in(), inPlane + (long) ih * wd + off, s, wv, lo, hi);
                        }
                    }
                }
                long orow = (idx * a.oh() + y) * ow;
                MemorySegment.copy(acc, 0, a.out(), F32, orow * 4, ow);
                if (!epilogue.isEmpty()) {
                    epilogueRow(a.out(), orow, ow, a.biasOf(ch), a.res());
                }
            }
        }
    }
}
