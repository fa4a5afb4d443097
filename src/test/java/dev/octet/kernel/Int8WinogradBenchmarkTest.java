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
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Single-thread speed of exact int8 Winograd F(2×2, 3×3) against im2col + GEMM (each of its variants at its
 * default blocking) on ResNet-50's res3 3×3 convolution (128→128 at 28×28, pad 1), as GOP/s = 2·(direct MACs)/s.
 * Times are the thread's CPU time, best of many short trials taken round robin (a shared machine slows some
 * trials). Every kernel's output is first checked equal to the GEMM default's. Writes
 * {@code target/int8-winograd-benchmark.txt}. Run with {@code mvn test -Pslow -Dtest=Int8WinogradBenchmarkTest}.
 */
@Tag("slow")
class Int8WinogradBenchmarkTest {
    private static final Int8ConvWorkload RES3 = new Int8ConvWorkload(128, 128, 1, 3, 3, 1, 1, 1, 1, false, false,
            false);
    private static final int SIZE = 28;

    record Run(Config c, NativeKernel kernel, MemorySegment[] bufs, long[] scalars, long range, byte[] out) {
    }

    @Test
    void res3() throws IOException {
        List<Config> configs = new ArrayList<>();
        KnobSpace gemm = Int8ConvTemplate.knobs(RES3);
        for (int variant : gemm.knobs().stream().filter(k -> k.name().equals("variant")).findFirst().orElseThrow()
                .values()) {
            configs.add(gemm.all().stream().filter(c -> c.get("variant") == variant).findFirst().orElseThrow());
        }
        configs.addAll(Int8WinogradTemplate.knobs(RES3).all());
        List<LoopKernel> kernels = new ArrayList<>();
        for (Config c : configs) {
            String name = "wbench" + kernels.size();
            kernels.add(c.template().equals(Int8WinogradTemplate.NAME) ? Int8WinogradTemplate.build(RES3, c, name)
                    : Int8ConvTemplate.build(RES3, c, name));
        }
        NativeLibrary lib = Int8KernelHarness.compile(kernels);
        Random r = new Random(1);
        byte[] x = new byte[RES3.inChannels() * SIZE * SIZE];
        r.nextBytes(x);
        byte[] weights = new byte[RES3.weightCount()];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = (byte) (r.nextInt(256) - 128);
        }
        int[] bias = new int[RES3.outChannels()];
        float[] mult = new float[RES3.outChannels()];
        for (int m = 0; m < mult.length; m++) {
            bias[m] = r.nextInt(20000) - 10000;
            mult[m] = 2e-5f * (1 + r.nextFloat());
        }
        List<Run> runs = new ArrayList<>();
        for (int i = 0; i < configs.size(); i++) {
            Config c = configs.get(i);
            boolean wino = c.template().equals(Int8WinogradTemplate.NAME);
            Int8ConvTemplate.Params p = wino ? Int8WinogradTemplate.pack(RES3, c, weights, bias, mult, 3)
                    : Int8ConvTemplate.pack(RES3, c, weights, bias, mult, 3);
            byte[] out = new byte[RES3.outChannels() * SIZE * SIZE];
            MemorySegment[] bufs = {MemorySegment.ofArray(x), p.weights(), MemorySegment.ofArray(p.bias()),
                    MemorySegment.ofArray(p.multiplier()), MemorySegment.ofArray(out)};
            long[] scalars = Int8ConvTemplate.scalars(p, SIZE, SIZE, SIZE, SIZE, 1, 1, 100, 0, 255);
            long range = wino ? Int8WinogradTemplate.parallelRange(1, SIZE, SIZE, c)
                    : Int8ConvTemplate.parallelRange(RES3, 1, SIZE, SIZE, c);
            NativeKernel k = new NativeKernel(lib, "wbench" + i, bufs.length, scalars.length);
            k.invoke(bufs, scalars, 0, range);
            if (!runs.isEmpty()) {
                assertThat(out).as(c.toString()).containsExactly(runs.get(0).out());
            }
            runs.add(new Run(c, k, bufs, scalars, range, out));
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long[] best = new long[runs.size()];
        Arrays.fill(best, Long.MAX_VALUE);
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
        long macs = (long) RES3.outChannels() * RES3.inChannels() * 9 * SIZE * SIZE;
        StringBuilder report = new StringBuilder("res3 3x3 128>128 28x28, one thread, CPU time best of 15x10 | config"
                + " | ms | GOP/s (direct-conv ops)\n");
        for (int i = 0; i < runs.size(); i++) {
            report.append(String.format("%s | %.3f | %.1f%n", runs.get(i).c(), best[i] / 1e6, 2.0 * macs / best[i]));
        }
        Files.writeString(Path.of("target", "int8-winograd-benchmark.txt"), report);
        System.out.print(report);
    }
}
