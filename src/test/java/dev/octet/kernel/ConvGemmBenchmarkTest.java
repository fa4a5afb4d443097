package dev.octet.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.octet.codegen.c.CCompiler;
import dev.octet.codegen.c.CPrinter;
import dev.octet.codegen.c.Headers;
import dev.octet.codegen.c.LibraryCache;
import dev.octet.ir.op.nn.EpilogueStep;
import dev.octet.kernel.loop.LoopKernel;
import dev.octet.runtime.CpuFeatures;
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
 * Single-thread GFLOP/s of the fp32 conv-as-GEMM template on ResNet-50 layers, the AVX2 6×16 tile against the
 * AVX-512 6×64 tile (x86-64-v4+vnni, where this CPU has it), over a few block sizes each. Times are the thread's CPU
 * time, best of several round-robin trials. Inputs are small integers, so every configuration's output must equal
 * the first one's exactly before any time counts. Writes {@code target/fp32-conv-benchmark.txt}.
 * Run with {@code mvn test -Pslow -Dtest=ConvGemmBenchmarkTest}.
 */
@Tag("slow")
class ConvGemmBenchmarkTest {
    record Layer(String name, ConvWorkload w, int size, int pad) {
        int out() {
            return (size + 2 * pad - w.kernelH()) / w.strideH() + 1;
        }

        double flops() {
            return 2.0 * w.outChannels() * w.reduction() * out() * out();
        }
    }

    record Run(Layer l, Config c, NativeKernel kernel, MemorySegment[] bufs, long[] scalars, long range) {
    }

    @Test
    void resnet50Layers() throws IOException {
        CCompiler cc = CCompiler.find();
        assumeTrue(cc != null, "no C compiler on this machine");
        IsaLevel level = IsaLevel.X86_64_V4_VNNI;
        assumeTrue(level.runsOn(CpuFeatures.current()), "no AVX-512 here");
        Epilogue biasRelu = new Epilogue(List.of(EpilogueStep.BIAS, EpilogueStep.RELU));
        List<Layer> layers = List.of(
                new Layer("res2 3x3 64>64 56x56", conv(64, 64, 3, 1, biasRelu), 56, 1),
                new Layer("res2 1x1 256>64 56x56", conv(256, 64, 1, 1, biasRelu), 56, 0),
                new Layer("res3 3x3 128>128 28x28", conv(128, 128, 3, 1, biasRelu), 28, 1),
                new Layer("res4 3x3 256>256 14x14", conv(256, 256, 3, 1, biasRelu), 14, 1),
                new Layer("stem 7x7/2 3>64 224x224", conv(3, 64, 7, 2, biasRelu), 224, 3));
        List<LoopKernel> kernels = new ArrayList<>();
        List<List<Config>> configs = new ArrayList<>();
        for (Layer l : layers) {
            List<Config> some = ConvGemmTemplate.knobs(l.w(), level).all().stream().filter(c -> c.get("nc") >= 256
                    && c.get("nc") <= 512 && c.get("kc") >= 128 && c.get("kc") <= 256).toList();
            configs.add(some);
            for (Config c : some) {
                kernels.add(ConvGemmTemplate.build(l.w(), c, "fbench" + kernels.size(), level));
            }
        }
        String source = CPrinter.translationUnit(Headers.standard(), kernels);
        NativeLibrary lib = new LibraryCache(Path.of("target", "test-native-cache"), cc, level)
                .load(source, Headers.standard());
        List<Run> runs = new ArrayList<>();
        int kernel = 0;
        for (int li = 0; li < layers.size(); li++) {
            Layer l = layers.get(li);
            Random r = new Random(1);
            ConvWorkload w = l.w();
            float[] x = new float[w.inChannels() * l.size() * l.size()];
            for (int i = 0; i < x.length; i++) {
                x[i] = r.nextInt(9) - 4;
            }
            float[] weights = new float[w.outChannels() * w.reduction()];
            for (int i = 0; i < weights.length; i++) {
                weights[i] = r.nextInt(9) - 4;
            }
            float[] packed = ConvGemmTemplate.packWeights(w, weights);
            float[] bias = new float[w.outChannels()];
            float[] first = null;
            for (Config c : configs.get(li)) {
                float[] out = new float[w.outChannels() * l.out() * l.out()];
                MemorySegment[] bufs = {MemorySegment.ofArray(x), MemorySegment.ofArray(packed),
                    MemorySegment.ofArray(bias), MemorySegment.ofArray(out)};
                long[] scalars = {l.size(), l.size(), l.out(), l.out(), l.pad(), l.pad()};
                NativeKernel k = new NativeKernel(lib, "fbench" + kernel, bufs.length, scalars.length);
                long range = ConvGemmTemplate.parallelRange(l.w(), 1, l.out(), l.out(), c);
                k.invoke(bufs, scalars, 0, range);
                if (first == null) {
                    first = out.clone();
                }
                assertThat(out).as(l.name() + " " + c).containsExactly(first);
                runs.add(new Run(l, c, k, bufs, scalars, range));
                kernel++;
            }
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long[] best = new long[runs.size()];
        java.util.Arrays.fill(best, Long.MAX_VALUE);
        for (int trial = 0; trial < 7; trial++) {
            for (int i = 0; i < runs.size(); i++) {
                Run run = runs.get(i);
                int reps = 3;
                long t0 = threads.getCurrentThreadCpuTime();
                for (int rep = 0; rep < reps; rep++) {
                    run.kernel().invoke(run.bufs(), run.scalars(), 0, run.range());
                }
                best[i] = Math.min(best[i], (threads.getCurrentThreadCpuTime() - t0) / reps);
            }
        }
        StringBuilder report = new StringBuilder("layer | tile | config | ms (CPU) | GFLOP/s\n");
        for (int i = 0; i < runs.size(); i++) {
            Run run = runs.get(i);
            Config c = run.c();
            report.append(String.format("%s | %s | nc=%d kc=%d order=%d | %.3f | %.1f%n", run.l().name(),
                    c.get("tile") == ConvGemmTemplate.TILE_AVX512 ? "avx512 6x64" : "avx2 6x16", c.get("nc"),
                    c.get("kc"), c.get("order"), best[i] / 1e6, run.l().flops() / best[i]));
        }
        Files.writeString(Path.of("target", "fp32-conv-benchmark.txt"), report);
        System.out.print(report);
    }

    private static ConvWorkload conv(int cin, int cout, int k, int stride, Epilogue e) {
        return new ConvWorkload(cin, cout, 1, k, k, stride, stride, 1, 1, k == 1 && stride == 1, e);
    }
}
