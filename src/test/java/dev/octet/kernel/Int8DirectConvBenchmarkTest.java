package dev.octet.kernel;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Single-thread speed of the direct NCHW4c int8 convolution against the im2col+GEMM Int8ConvTemplate (both
 * variants) on ResNet-50's res3 3×3 (128→128 at 28×28, pad 1), as GOP/s = 2·MACs/s. CPU time of the thread, best
 * of round-robin trials; both kernels' outputs are first checked to be the same bytes (each is bit-exact to the
 * reference in its own test). Writes {@code target/int8-direct-conv-benchmark.txt}.
 * Run with {@code mvn test -Pslow -Dtest=Int8DirectConvBenchmarkTest}.
 */
@Tag("slow")
class Int8DirectConvBenchmarkTest {
    private static final int C = 128;
    private static final int N = 28;

    record Run(String label, NativeKernel k, MemorySegment[] bufs, long[] scalars, long range) {
    }

    @Test
    void res3() throws IOException {
        Int8ConvWorkload w = new Int8ConvWorkload(C, C, 1, 3, 3, 1, 1, 1, 1, false, false, true);
        List<Config> gemm = new ArrayList<>();
        for (int variant : new int[] {Int8ConvTemplate.MADDUBS, Int8ConvTemplate.WIDEN}) {
            for (int nc : new int[] {256, 128}) {
                gemm.add(new Config(Int8ConvTemplate.NAME, Map.of("nc", nc, "kc", 2048, "variant", variant,
                        "order", 1)));
            }
        }
        List<Config> direct = Int8DirectConvTemplate.knobs(w).all();
        List<LoopKernel> kernels = new ArrayList<>();
        gemm.forEach(c -> kernels.add(Int8ConvTemplate.build(w, c, "bg" + kernels.size())));
        direct.forEach(c -> kernels.add(Int8DirectConvTemplate.build(w, c, "bd" + kernels.size())));
        NativeLibrary lib = Int8KernelHarness.compile(kernels);

        Random r = new Random(1);
        byte[] x = new byte[C * N * N];
        r.nextBytes(x);
        byte[] weights = new byte[w.weightCount()];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = (byte) (r.nextInt(129) - 64); // pairs fit vpmaddubsw
        }
        int[] bias = new int[C];
        float[] mult = new float[C];
        for (int m = 0; m < C; m++) {
            bias[m] = r.nextInt(20000) - 10000;
            mult[m] = 1e-4f * (1 + r.nextFloat());
        }
        int zx = 3;
        int zy = 100;
        List<Run> runs = new ArrayList<>();
        byte[] first = null;
        int kernel = 0;
        for (Config c : gemm) {
            Int8ConvTemplate.Params p = Int8ConvTemplate.pack(w, c, weights, bias, mult, zx);
            byte[] out = new byte[C * N * N];
            MemorySegment[] bufs = {MemorySegment.ofArray(x), p.weights(), MemorySegment.ofArray(p.bias()),
                    MemorySegment.ofArray(p.multiplier()), MemorySegment.ofArray(out)};
            long[] scalars = Int8ConvTemplate.scalars(p, N, N, N, N, 1, 1, zy, 0, 255);
            NativeKernel k = new NativeKernel(lib, "bg" + kernel++, bufs.length, scalars.length);
            long range = Int8ConvTemplate.parallelRange(w, 1, N, N, c);
            k.invoke(bufs, scalars, 0, range);
            if (first == null) {
                first = out;
            }
            assertThat(out).containsExactly(first);
            runs.add(new Run("gemm " + c, k, bufs, scalars, range));
        }
        byte[] packedX = Int8DirectConvTemplate.toNchw4c(x, 1, C, N, N, (byte) 0);
        for (Config c : direct) {
            Int8DirectConvTemplate.Params p = Int8DirectConvTemplate.pack(w, c, weights, bias, mult, zx);
            byte[] out = new byte[C * N * N];
            MemorySegment[] bufs = {MemorySegment.ofArray(packedX), p.weights(), MemorySegment.ofArray(p.bias()),
                    MemorySegment.ofArray(p.multiplier()), MemorySegment.ofArray(out)};
            long[] scalars = Int8DirectConvTemplate.scalars(p, N, N, N, N, 1, 1, zy, 0, 255);
            NativeKernel k = new NativeKernel(lib, "bd" + kernel++, bufs.length, scalars.length);
            long range = Int8DirectConvTemplate.parallelRange(1, N, N, c);
            k.invoke(bufs, scalars, 0, range);
            assertThat(Int8DirectConvTemplate.fromNchw4c(out, 1, C, N, N)).containsExactly(first);
            runs.add(new Run("direct4c " + c, k, bufs, scalars, range));
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long[] best = new long[runs.size()];
        java.util.Arrays.fill(best, Long.MAX_VALUE);
        for (int trial = 0; trial < 15; trial++) {
            for (int i = 0; i < runs.size(); i++) {
                Run run = runs.get(i);
                long t0 = threads.getCurrentThreadCpuTime();
                for (int rep = 0; rep < 5; rep++) {
                    run.k().invoke(run.bufs(), run.scalars(), 0, run.range());
                }
                best[i] = Math.min(best[i], (threads.getCurrentThreadCpuTime() - t0) / 5);
            }
        }
        double ops = 2.0 * C * C * 9 * N * N;
        StringBuilder report = new StringBuilder("res3 3x3 128>128 28x28 | config | ms (CPU) | GOP/s\n");
        for (int i = 0; i < runs.size(); i++) {
            report.append(String.format("%s | %.3f | %.1f%n", runs.get(i).label(), best[i] / 1e6, ops / best[i]));
        }
        Files.writeString(Path.of("target", "int8-direct-conv-benchmark.txt"), report);
        System.out.print(report);
    }
}
