package dev.octet.kernel;

import dev.octet.codegen.c.CCompiler;
import dev.octet.codegen.c.CPrinter;
import dev.octet.codegen.c.Headers;
import dev.octet.codegen.c.LibraryCache;
import dev.octet.kernel.loop.LoopKernel;
import dev.octet.runtime.NativeKernel;
import dev.octet.runtime.NativeLibrary;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Times the max pool kernels alone, every knob configuration, on ResNet-50's pool (64×112×112, 3×3 stride 2, pad 1;
 * other shapes by arguments C H W K S P): the best of N runs of the thread's CPU time, fp32 and u8. A tool, not a
 * test: {@code java ... dev.octet.kernel.PoolKernelTiming [C H W K S P [N]]}.
 */
public final class PoolKernelTiming {
    private PoolKernelTiming() {
    }

    public static void main(String[] args) {
        int[] a = args.length >= 6 ? new int[6] : new int[] {64, 112, 112, 3, 2, 1};
        for (int i = 0; i < 6 && args.length >= 6; i++) {
            a[i] = Integer.parseInt(args[i]);
        }
        int n = args.length >= 7 ? Integer.parseInt(args[6]) : 200;
        int c = a[0];
        int h = a[1];
        int wd = a[2];
        int k = a[3];
        int s = a[4];
        int p = a[5];
        int oh = (h + 2 * p - k) / s + 1;
        int ow = (wd + 2 * p - k) / s + 1;
        PoolWorkload w = new PoolWorkload(PoolWorkload.Kind.MAX, k, k, s, s, 1, 1, false);
        List<LoopKernel> kernels = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (Config cf : PoolTemplate.knobs(w).all()) {
            kernels.add(PoolTemplate.build(w, cf, "f" + kernels.size()));
            labels.add("fp32 " + cf);
        }
        for (Config cf : Int8MaxPoolTemplate.knobs(w).all()) {
            kernels.add(Int8MaxPoolTemplate.build(w, false, cf, "q" + kernels.size()));
            labels.add("u8   " + cf);
        }
        CCompiler cc = CCompiler.find();
        String source = CPrinter.translationUnit(Headers.standard(), kernels);
        NativeLibrary lib = NativeLibrary.load(new LibraryCache(Path.of("target", "test-native-cache"), cc)
                .get(source, Headers.standard()).library());
        ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fin = arena.allocate((long) c * h * wd * 4, 64);
            MemorySegment fout = arena.allocate((long) c * oh * ow * 4, 64);
            MemorySegment qin = arena.allocate((long) c * h * wd, 64);
            MemorySegment qout = arena.allocate((long) c * oh * ow, 64);
            for (long i = 0; i < (long) c * h * wd; i++) {
                fin.setAtIndex(java.lang.foreign.ValueLayout.JAVA_FLOAT, i, (float) Math.sin(i * 0.37));
                qin.set(java.lang.foreign.ValueLayout.JAVA_BYTE, i, (byte) (i * 37));
            }
            System.out.printf("max pool %dx%dx%d k%d s%d p%d -> %dx%d, best of %d, thread CPU time%n", c, h, wd, k, s,
                    p, oh, ow, n);
            for (int i = 0; i < kernels.size(); i++) {
                boolean f32 = labels.get(i).startsWith("fp32");
                long[] scalars = f32 ? new long[] {h, wd, oh, ow, p, p, p, p} : new long[] {h, wd, oh, ow, p, p};
                NativeKernel kern = new NativeKernel(lib, kernels.get(i).name(), 2, scalars.length);
                MemorySegment[] bufs = f32 ? new MemorySegment[] {fin, fout} : new MemorySegment[] {qin, qout};
                long best = Long.MAX_VALUE;
                for (int r = 0; r < n; r++) {
                    long t0 = bean.getCurrentThreadCpuTime();
                    kern.invoke(bufs, scalars, 0, c);
                    best = Math.min(best, bean.getCurrentThreadCpuTime() - t0);
                }
                System.out.printf("%-40s %8.1f us%n", labels.get(i), best / 1e3);
            }
        }
    }
}
