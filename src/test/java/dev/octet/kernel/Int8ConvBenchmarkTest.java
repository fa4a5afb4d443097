package dev.octet.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.octet.codegen.c.CCompiler;
import dev.octet.codegen.c.CPrinter;
import dev.octet.codegen.c.Headers;
import dev.octet.codegen.c.LibraryCache;
import dev.octet.kernel.loop.LoopKernel;
import dev.octet.runtime.NativeKernel;
import dev.octet.runtime.NativeLibrary;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Single-thread speed of the int8 convolution template on two ResNet-50 layers (res3's 3×3, 128→128 at 28×28, and
 * a 1×1, 256→64 at 56×56), each variant over a few configurations, as GOP/s = 2·MACs/s. Times are the thread's CPU
 * time (best of several repeats), so other load on a shared machine does not count; every kernel's output is first
 * checked against a plain integer convolution. Writes {@code target/int8-conv-benchmark.txt}.
 * Run with {@code mvn test -Pslow -Dtest=Int8ConvBenchmarkTest}.
 */
@Tag("slow")
class Int8ConvBenchmarkTest {
    record Layer(String name, Int8ConvWorkload w, int size, int pad) {
        long macs() {
            return (long) w.outChannels() * w.inPerGroup() * w.kernelH() * w.kernelW() * size * size;
        }
    }

    record Run(Layer l, Config c, NativeKernel kernel, MemorySegment[] bufs, long[] scalars, long range) {
    }

    @Test
    void resnet50Layers() throws IOException {
        CCompiler cc = CCompiler.find();
        assumeTrue(cc != null, "no C compiler on this machine");
        List<Layer> layers = List.of(
                new Layer("res3 3x3 128>128 28x28", new Int8ConvWorkload(128, 128, 1, 3, 3, 1, 1, 1, 1, false, false,
                        true), 28, 1),
                new Layer("1x1 256>64 56x56", new Int8ConvWorkload(256, 64, 1, 1, 1, 1, 1, 1, 1, true, false, true),
                        56, 0));
        List<LoopKernel> kernels = new ArrayList<>();
        for (Layer l : layers) {
            for (Config c : Int8ConvTemplate.knobs(l.w()).all()) {
                kernels.add(Int8ConvTemplate.build(l.w(), c, "bench" + kernels.size()));
            }
        }
        String source = CPrinter.translationUnit(Headers.standard(), kernels);
        NativeLibrary lib = NativeLibrary.load(new LibraryCache(Path.of("target", "test-native-cache"), cc)
                .get(source, Headers.standard()).library());
        List<Run> runs = new ArrayList<>();
        int kernel = 0;
        for (Layer l : layers) {
            Random r = new Random(1);
            Int8ConvWorkload w = l.w();
            byte[] x = new byte[w.inChannels() * l.size() * l.size()];
            r.nextBytes(x);
            byte[] weights = new byte[w.weightCount()];
            for (int i = 0; i < weights.length; i++) {
                weights[i] = (byte) (r.nextInt(129) - 64);
            }
            int[] bias = new int[w.outChannels()];
            float[] mult = new float[w.outChannels()];
            for (int m = 0; m < mult.length; m++) {
                bias[m] = r.nextInt(20000) - 10000;
                mult[m] = 1e-4f * (1 + r.nextFloat());
            }
            int zx = 3;
            int zy = 100;
            byte[] expected = reference(l, x, weights, bias, mult, zx, zy);
            for (Config c : Int8ConvTemplate.knobs(w).all()) {
                Int8ConvTemplate.Params p = Int8ConvTemplate.pack(w, c, weights, bias, mult, zx);
                byte[] out = new byte[w.outChannels() * l.size() * l.size()];
                MemorySegment[] bufs = {MemorySegment.ofArray(x), p.weights(), MemorySegment.ofArray(p.bias()),
                        MemorySegment.ofArray(p.multiplier()), MemorySegment.ofArray(out)};
                long[] scalars = Int8ConvTemplate.scalars(p, l.size(), l.size(), l.size(), l.size(), l.pad(),
                        l.pad(), zy, 0, 255);
                NativeKernel k = new NativeKernel(lib, "bench" + kernel++, bufs.length, scalars.length);
                long range = Int8ConvTemplate.parallelRange(l.w(), 1, l.size(), l.size(), c);
                k.invoke(bufs, scalars, 0, range);
                assertThat(out).as(l.name() + " " + c).containsExactly(expected);
                runs.add(new Run(l, c, k, bufs, scalars, range));
            }
        }
        // Round robin over the configurations, best of many short trials: load from other processes on a shared
        // machine slows some trials, and touches every configuration alike.
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long[] best = new long[runs.size()];
        java.util.Arrays.fill(best, Long.MAX_VALUE);
        for (int trial = 0; trial < 15; trial++) {
            for (int i = 0; i < runs.size(); i++) {
                Run run = runs.get(i);
                int reps = 10;
                long t0 = threads.getCurrentThreadCpuTime();
                for (int rep = 0; rep < reps; rep++) {
                    run.kernel().invoke(run.bufs(), run.scalars(), 0, run.range());
                }
                best[i] = Math.min(best[i], (threads.getCurrentThreadCpuTime() - t0) / reps);
            }
        }
        StringBuilder report = new StringBuilder("layer | variant | config | ms (CPU) | GOP/s\n");
        for (int i = 0; i < runs.size(); i++) {
            Run run = runs.get(i);
            Config c = run.c();
            report.append(String.format("%s | %s | nc=%d kc=%d order=%d | %.3f | %.1f%n", run.l().name(),
                    switch (c.get("variant")) {
                        case Int8ConvTemplate.MADDUBS -> "maddubs";
                        case Int8ConvTemplate.VNNI -> "vnni";
                        case Int8ConvTemplate.AMX -> "amx";
                        default -> "widen";
                    }, c.get("nc"), c.get("kc"),
                    c.get("order"), best[i] / 1e6, 2.0 * run.l().macs() / best[i]));
        }
        Files.writeString(Path.of("target", "int8-conv-benchmark.txt"), report);
        System.out.print(report);
    }

    /** The same computation as plain integer loops (the template's own bit-exactness is Int8ConvTemplateTest's). */
    private static byte[] reference(Layer l, byte[] x, byte[] weights, int[] bias, float[] mult, int zx, int zy) {
        Int8ConvWorkload w = l.w();
        int n = l.size();
        int k = w.kernelH();
        byte[] y = new byte[w.outChannels() * n * n];
        for (int co = 0; co < w.outChannels(); co++) {
            for (int oy = 0; oy < n; oy++) {
                for (int ox = 0; ox < n; ox++) {
                    int acc = bias[co];
                    for (int c = 0; c < w.inChannels(); c++) {
                        for (int ky = 0; ky < k; ky++) {
                            for (int kx = 0; kx < k; kx++) {
                                int iy = oy - l.pad() + ky;
                                int ix = ox - l.pad() + kx;
                                int v = iy >= 0 && iy < n && ix >= 0 && ix < n ? x[(c * n + iy) * n + ix] & 0xff : zx;
                                acc += (v - zx) * weights[((co * w.inChannels() + c) * k + ky) * k + kx];
                            }
                        }
                    }
                    y[(co * n + oy) * n + ox] = (byte) dev.octet.ir.op.quant.QuantMath.requantize(acc, mult[co], zy,
                            0, 255);
                }
            }
        }
        return y;
    }
}
