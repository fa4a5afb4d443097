package dev.octet.runtime.jvm;

import static dev.octet.runtime.jvm.ConvArgs.F32;

import dev.octet.kernel.Config;
import dev.octet.kernel.ConvWorkload;
import dev.octet.runtime.Kernel;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * The loop nest of {@link dev.octet.kernel.DepthwiseTemplate} on the JVM, shared by the Vector API kernel and its
 * scalar twin: the same arguments, work items ({@code batch × channels} planes) and weights, and the same sums: each
 * output row adds its kernel's taps in (kh, kw) order, a multiply and an add each, skipping rows outside the image.
 *
 * <p>Each input row a tap row reads is first copied into {@code stride} phase rows, zero-padded at both ends: phase
 * q holds padded columns q, q + s, q + 2s, ... So every tap, whatever its stride, dilation and position, reads one
 * contiguous run of a phase row over the whole output row, and the summing loop (the subclass's) has no bounds
 * checks and no strided loads. The padding adds exact zeros, which leave every sum as it was. The row then gets the
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

    /** acc[x] += wv · row[from + x] for x in [0, n). */
    abstract void accumulate(float[] acc, float[] row, int from, float wv, int n);

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
        int dw = w.dilationW();
        int h = a.h();
        int ow = a.ow();
        // A phase row's length: the output row plus the farthest tap's shift.
        int reach = ow + (kw - 1) * dw / s;
        Scratch scratch = Scratch.get();
        float[] phases = scratch.panels(s * reach);
        float[] acc = scratch.tile(ow);
        FloatSource in = FloatSource.of(a.in());
        for (long idx = begin; idx < end; idx++) {
            int ch = (int) (idx % w.outChannels());
            long inPlane = idx * h * a.wd();
            for (int y = 0; y < a.oh(); y++) {
                Arrays.fill(acc, 0, ow, 0f);
                for (int i = 0; i < kh; i++) {
                    int ih = y * w.strideH() - a.pt() + i * w.dilationH();
                    if (ih < 0 || ih >= h) {
                        continue;
                    }
                    for (int q = 0; q < s; q++) {
                        fillPhase(a, in, inPlane + (long) ih * a.wd(), q, phases, reach);
                    }
                    for (int j = 0; j < kw; j++) {
                        float wv = a.w().getAtIndex(F32, ((long) ch * kh + i) * kw + j);
                        int off = j * dw;
                        accumulate(acc, phases, off % s * reach + off / s, wv, ow);
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

    /** Phase row q: element t is input column q − PL + t·s of the row, or 0 outside the image. */
    private void fillPhase(ConvArgs a, FloatSource in, long row, int q, float[] phases, int reach) {
        int s = w.strideW();
        int dx = q - a.pl();
        int lo = Math.min(reach, dx >= 0 ? 0 : (-dx + s - 1) / s);
        int hi = Math.clamp(a.wd() - 1 - dx < 0 ? 0 : (a.wd() - 1 - dx) / s + 1, lo, reach);
        int base = q * reach;
        Arrays.fill(phases, base, base + lo, 0f);
        in.copyTo(row + (long) lo * s + dx, s, phases, base + lo, hi - lo);
        Arrays.fill(phases, base + hi, base + reach, 0f);
    }
}
