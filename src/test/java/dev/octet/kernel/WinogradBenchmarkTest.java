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
import dev.octet.testing.ConvConformance;
import dev.octet.testing.ConvConformance.Case;
import dev.octet.verify.TestInputs;
import dev.octet.verify.WinogradBound;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Single-thread speed of fp32 Winograd F(2×2) and F(4×4) (several blockings) against the default conv-as-GEMM on
 * ResNet-50's 3×3 convolutions (each at the default level's GEMM micro-kernel) (res2 64→64 at 56², res3 128→128 at 28², res4 256→256 at 14², pad 1, no epilogue),
 * as GFLOP/s = 2·(direct MACs)/s. Times are the thread's CPU time, best of many short trials taken round robin (a
 * shared machine slows some trials). Every Winograd output is first checked within {@link WinogradBound}. Writes
 * {@code target/winograd-benchmark.txt}. Run with {@code mvn test -Pslow -Dtest=WinogradBenchmarkTest}.
 */
@Tag("slow")
class WinogradBenchmarkTest {
    private static final int[][] SHAPES = {{64, 56}, {128, 28}, {256, 14}};

    record Run(String shape, Config c, NativeKernel kernel, MemorySegment[] bufs, long[] scalars, long range,
            long macs) {
    }

    @Test
    void resnet50ThreeByThree() throws IOException {
        CCompiler cc = CCompiler.find();
        assumeTrue(cc != null, "no C compiler on this machine");
        List<Case> cases = new ArrayList<>();
        for (int[] s : SHAPES) {
            ConvWorkload w = new ConvWorkload(s[0], s[0], 1, 3, 3, 1, 1, 1, 1, false, Epilogue.none());
            cases.add(new Case(cases.size(), w, s[1], s[1], 1, 1, 1, 1, false, ConvGemmTemplate.knobs(w).defaults()));
            KnobSpace wino = WinogradTemplate.knobs(w);
            for (Config c : wino.all()) {
                if (c.get("kc") == 256 && c.get("cob") != 24 && c.get("tile") == wino.defaults().get("tile")) {
                    cases.add(new Case(cases.size(), w, s[1], s[1], 1, 1, 1, 1, false, c));
                }
            }
        }
        List<LoopKernel> kernels = cases.stream().map(k -> k.c().template().equals(WinogradTemplate.NAME)
                ? WinogradTemplate.build(k.w(), k.c(), "wb" + k.id())
                : ConvGemmTemplate.build(k.w(), k.c(), "wb" + k.id())).toList();
        NativeLibrary lib = new LibraryCache(Path.of("target", "test-native-cache"), cc)
                .load(CPrinter.translationUnit(Headers.standard(), kernels), Headers.standard());
        List<Run> runs = new ArrayList<>();
        for (Case k : cases) {
            ConvWorkload w = k.w();
            boolean wino = k.c().template().equals(WinogradTemplate.NAME);
            float[] x = TestInputs.floats(TestInputs.Kind.RANDOM, w.inChannels() * k.h() * k.wd(), 1);
            float[] wt = TestInputs.floats(TestInputs.Kind.RANDOM, w.outChannels() * w.reduction(), 2);
            float[] out = new float[w.outChannels() * k.oh() * k.ow()];
            MemorySegment[] bufs = {MemorySegment.ofArray(x), MemorySegment.ofArray(wino
                    ? WinogradTemplate.packWeights(w, k.c(), wt) : ConvGemmTemplate.packWeights(w, wt)),
                    MemorySegment.ofArray(out)};
            long[] scalars = {k.h(), k.wd(), k.oh(), k.ow(), 1, 1};
            long range = wino ? WinogradTemplate.parallelRange(k.w(), 1, k.oh(), k.ow(), k.c())
                    : ConvGemmTemplate.parallelRange(w, 1, k.oh(), k.ow(), k.c());
            NativeKernel kernel = new NativeKernel(lib, "wb" + k.id(), bufs.length, scalars.length);
            kernel.invoke(bufs, scalars, 0, range);
            if (wino) {
                WinogradTransforms t = WinogradTemplate.transforms(k.c());
                float[] exact = ConvConformance.reference(k, 1, x, wt, null, null, false);
                double[] raw = WinogradBound.magnitude(t, x, 1, w.inChannels(), k.h(), k.wd(), 1, 1, wt,
                        w.outChannels(), k.oh(), k.ow());
                float[] magnitude = new float[raw.length];
                for (int i = 0; i < raw.length; i++) {
                    magnitude[i] = (float) raw[i];
                }
                assertThat(WinogradBound.check(out, exact, magnitude, WinogradBound.chainLength(t, w.inChannels()),
                        0)).as(k.title()).isNull();
            }
            runs.add(new Run(w.inChannels() + ">" + w.outChannels() + " " + k.h() + "x" + k.wd(), k.c(), kernel,
                    bufs, scalars, range, (long) w.outChannels() * w.reduction() * k.oh() * k.ow()));
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long[] best = new long[runs.size()];
        Arrays.fill(best, Long.MAX_VALUE);
        for (int trial = 0; trial < 12; trial++) {
            for (int i = 0; i < runs.size(); i++) {
                Run run = runs.get(i);
                int reps = 4;
                long t0 = threads.getCurrentThreadCpuTime();
                for (int rep = 0; rep < reps; rep++) {
                    run.kernel().invoke(run.bufs(), run.scalars(), 0, run.range());
                }
                best[i] = Math.min(best[i], (threads.getCurrentThreadCpuTime() - t0) / reps);
            }
        }
        StringBuilder report = new StringBuilder("fp32 3x3 pad 1, one thread, CPU time best of 12x4 | shape | config"
                + " | ms | GFLOP/s (direct-conv flops)\n");
        for (int i = 0; i < runs.size(); i++) {
            Run r = runs.get(i);
            report.append(String.format("%s | %s | %.3f | %.1f%n", r.shape(), r.c(), best[i] / 1e6,
                    2.0 * r.macs() / best[i]));
        }
        Files.writeString(Path.of("target", "winograd-benchmark.txt"), report);
        System.out.print(report);
    }
}
