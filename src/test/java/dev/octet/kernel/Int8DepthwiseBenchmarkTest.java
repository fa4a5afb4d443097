package dev.octet.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.octet.ir.op.nn.EpilogueStep;
import dev.octet.ir.op.quant.QuantMath;
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
 * Single-thread speed of the int8 depthwise template against the fp32 DepthwiseTemplate (bias + ReLU epilogue) on
 * MobileNetV2 / PP-OCR depthwise shapes, as GOP/s = 2·MACs/s (best configuration of each), and of the int8 Add and
 * the QuantizeLinear / DequantizeLinear conversions as GB/s (bytes read + written). Times are the thread's CPU time,
 * best of several round-robin trials, so other load on a shared machine counts little; every int8 kernel's output
 * is first checked against a plain integer depthwise convolution. Writes {@code target/int8-depthwise-benchmark.txt}.
 * Run with {@code mvn test -Pslow -Dtest=Int8DepthwiseBenchmarkTest}.
 */
@Tag("slow")
class Int8DepthwiseBenchmarkTest {
    record Shape(String name, int channels, int k, int stride, int size) {
        int out() {
            return (size + 2 * (k / 2) - k) / stride + 1;
        }

        long macs() {
            return (long) channels * k * k * out() * out();
        }
    }

    /** One timed kernel call: what it is, and everything to invoke it. */
    record Run(String group, String label, Kernel k, MemorySegment[] bufs, long[] scalars, long range, double work) {
    }

    interface Kernel {
        void invoke(MemorySegment[] bufs, long[] scalars, long begin, long end);
    }

    private static final List<Shape> SHAPES = List.of(
            new Shape("mbv2 32 112² s1", 32, 3, 1, 112), new Shape("mbv2 96 112² s2", 96, 3, 2, 112),
            new Shape("mbv2 144 56² s1", 144, 3, 1, 56), new Shape("mbv2 144 56² s2", 144, 3, 2, 56),
            new Shape("mbv2 192 28² s1", 192, 3, 1, 28), new Shape("mbv2 384 14² s1", 384, 3, 1, 14),
            new Shape("mbv2 576 14² s2", 576, 3, 2, 14), new Shape("mbv2 960 7² s1", 960, 3, 1, 7),
            new Shape("lcnet 5x5 240 14² s1", 240, 5, 1, 14), new Shape("lcnet 5x5 480 14² s2", 480, 5, 2, 14));
    private static final List<Map<String, Integer>> INT8_CONFIGS = List.of(
            Map.of("rows", 4, "cols", 128, "vec", 16, "parallel", 0),
            Map.of("rows", 2, "cols", 128, "vec", 16, "parallel", 0),
            Map.of("rows", 8, "cols", 128, "vec", 16, "parallel", 0),
            Map.of("rows", 4, "cols", 256, "vec", 16, "parallel", 0),
            Map.of("rows", 8, "cols", 64, "vec", 16, "parallel", 0),
            Map.of("rows", 4, "cols", 128, "vec", 8, "parallel", 0),
            Map.of("rows", 8, "cols", 64, "vec", 8, "parallel", 0));
    private static final int ELEMENTS = 144 * 56 * 56;

    @Test
    void depthwiseAndElementwise() throws IOException {
        List<LoopKernel> kernels = new ArrayList<>();
        List<Runnable> setups = new ArrayList<>();
        for (Shape s : SHAPES) {
            Int8DepthwiseWorkload w = int8(s);
            for (Map<String, Integer> c : INT8_CONFIGS) {
                kernels.add(Int8DepthwiseTemplate.build(w, new Config(Int8DepthwiseTemplate.NAME, c),
                        "bq" + kernels.size()));
            }
            ConvWorkload f = fp32(s);
            for (Config c : DepthwiseTemplate.knobs(f).all()) {
                kernels.add(DepthwiseTemplate.build(f, c, "bf" + kernels.size()));
            }
        }
        Config elt = new Config(Int8AddTemplate.NAME, Map.of("block", 8192, "unroll", 2));
        kernels.add(Int8AddTemplate.build(new Int8AddWorkload(false, false, false), elt, "badd"));
        kernels.add(QuantizeLinearTemplate.build(false, elt, "bquant"));
        kernels.add(DequantizeLinearTemplate.build(false, elt, "bdequant"));
        NativeLibrary lib = Int8KernelHarness.compile(kernels);

        List<Run> runs = new ArrayList<>();
        int kernel = 0;
        for (Shape s : SHAPES) {
            Random r = new Random(1);
            Int8DepthwiseWorkload w = int8(s);
            byte[] x = new byte[s.channels() * s.size() * s.size()];
            r.nextBytes(x);
            byte[] weights = new byte[w.weightCount()];
            r.nextBytes(weights);
            int[] bias = new int[s.channels()];
            float[] mult = new float[s.channels()];
            for (int m = 0; m < mult.length; m++) {
                bias[m] = r.nextInt(20000) - 10000;
                mult[m] = 1e-3f * (1 + r.nextFloat());
            }
            int zx = 7;
            int zy = 100;
            byte[] expected = reference(s, x, weights, bias, mult, zx, zy);
            int o = s.out();
            int pad = s.k() / 2;
            Int8DepthwiseTemplate.Params p = Int8DepthwiseTemplate.pack(w, weights, bias, mult, zx);
            for (Map<String, Integer> cv : INT8_CONFIGS) {
                Config c = new Config(Int8DepthwiseTemplate.NAME, cv);
                byte[] out = new byte[s.channels() * o * o];
                MemorySegment[] bufs = {MemorySegment.ofArray(x), MemorySegment.ofArray(p.weights()),
                        MemorySegment.ofArray(p.bias()), MemorySegment.ofArray(p.multiplier()),
                        MemorySegment.ofArray(out)};
                long[] scalars = Int8DepthwiseTemplate.scalars(p, s.size(), s.size(), o, o, pad, pad, zy, zy, 255);
                NativeKernel k = new NativeKernel(lib, "bq" + kernel++, bufs.length, scalars.length);
                long range = Int8DepthwiseTemplate.parallelRange(1, w, o, c);
                k.invoke(bufs, scalars, 0, range);
                assertThat(out).as(s.name() + " " + c).containsExactly(expected);
                runs.add(new Run(s.name(), "int8 " + c, k::invoke, bufs, scalars, range, 2.0 * s.macs()));
            }
            float[] xf = new float[x.length];
            for (int i = 0; i < x.length; i++) {
                xf[i] = ((x[i] & 0xff) - zx) * 0.02f;
            }
            float[] wf = new float[weights.length];
            for (int i = 0; i < wf.length; i++) {
                wf[i] = weights[i] * 0.01f;
            }
            float[] bf = new float[s.channels()];
            for (Config c : DepthwiseTemplate.knobs(fp32(s)).all()) {
                MemorySegment[] bufs = {MemorySegment.ofArray(xf), MemorySegment.ofArray(wf),
                        MemorySegment.ofArray(bf), MemorySegment.ofArray(new float[s.channels() * o * o])};
                long[] scalars = {s.size(), s.size(), o, o, pad, pad};
                NativeKernel k = new NativeKernel(lib, "bf" + kernel++, bufs.length, scalars.length);
                runs.add(new Run(s.name(), "fp32 " + c, k::invoke, bufs, scalars, s.channels(), 2.0 * s.macs()));
            }
        }
        elementwise(lib, elt, runs);
        long[] best = time(runs);
        StringBuilder report = new StringBuilder(
                "shape | int8 GOP/s (best config) | fp32 GOP/s (best config) | int8/fp32\n");
        for (Shape s : SHAPES) {
            int bi = bestOf(runs, best, s.name(), "int8");
            int bf = bestOf(runs, best, s.name(), "fp32");
            double qi = runs.get(bi).work() / best[bi];
            double qf = runs.get(bf).work() / best[bf];
            report.append(String.format("%s | %.1f (%s) | %.1f (%s) | %.2f%n", s.name(), qi,
                    runs.get(bi).label().substring(5), qf, runs.get(bf).label().substring(5), qi / qf));
        }
        report.append("kernel | elements | ms (CPU) | GB/s (bytes read + written)\n");
        for (int i = 0; i < runs.size(); i++) {
            if (runs.get(i).group().equals("elementwise")) {
                report.append(String.format("%s | %d | %.3f | %.2f%n", runs.get(i).label(), ELEMENTS, best[i] / 1e6,
                        runs.get(i).work() / best[i]));
            }
        }
        Files.writeString(Path.of("target", "int8-depthwise-benchmark.txt"), report);
        System.out.print(report);
    }

    private static void elementwise(NativeLibrary lib, Config elt, List<Run> runs) {
        Random r = new Random(2);
        byte[] a = new byte[ELEMENTS];
        byte[] b = new byte[ELEMENTS];
        r.nextBytes(a);
        r.nextBytes(b);
        float[] f = new float[ELEMENTS];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) r.nextGaussian();
        }
        long range = Int8AddTemplate.parallelRange(ELEMENTS, elt);
        float[] m = Int8AddTemplate.multipliers(0.03f, 0.05f, 0.06f);
        MemorySegment[] add = {MemorySegment.ofArray(a), MemorySegment.ofArray(b), MemorySegment.ofArray(m),
                MemorySegment.ofArray(new byte[ELEMENTS])};
        long[] addScalars = Int8AddTemplate.scalars(ELEMENTS, 128, 120, 0, 0, 255);
        NativeKernel k = new NativeKernel(lib, "badd", 4, addScalars.length);
        k.invoke(add, addScalars, 0, range);
        byte[] sum = add[3].toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        for (int i = 0; i < ELEMENTS; i += 997) {
            assertThat(sum[i] & 0xff).isEqualTo((int) QuantMath.addRequantize(a[i] & 0xff, 128, m[0], b[i] & 0xff,
                    120, m[1], 0, 0, 255));
        }
        runs.add(new Run("elementwise", "int8 add u8+u8→u8", k::invoke, add, addScalars, range, 3.0 * ELEMENTS));
        MemorySegment[] q = {MemorySegment.ofArray(f), MemorySegment.ofArray(new float[] {0.02f}),
                MemorySegment.ofArray(new byte[ELEMENTS])};
        long[] qs = QuantizeLinearTemplate.scalars(ELEMENTS, 128, false);
        NativeKernel qk = new NativeKernel(lib, "bquant", 3, qs.length);
        runs.add(new Run("elementwise", "QuantizeLinear f32→u8", qk::invoke, q, qs, range, 5.0 * ELEMENTS));
        MemorySegment[] dq = {MemorySegment.ofArray(a), MemorySegment.ofArray(new float[] {0.02f}),
                MemorySegment.ofArray(new float[ELEMENTS])};
        long[] ds = DequantizeLinearTemplate.scalars(ELEMENTS, 128);
        NativeKernel dk = new NativeKernel(lib, "bdequant", 3, ds.length);
        runs.add(new Run("elementwise", "DequantizeLinear u8→f32", dk::invoke, dq, ds, range, 5.0 * ELEMENTS));
    }

    /** Best CPU time per call (ns) of each run: round robin over the runs, best of many short trials. */
    private static long[] time(List<Run> runs) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long[] best = new long[runs.size()];
        java.util.Arrays.fill(best, Long.MAX_VALUE);
        for (int trial = 0; trial < 12; trial++) {
            for (int i = 0; i < runs.size(); i++) {
                Run run = runs.get(i);
                int reps = 10;
                long t0 = threads.getCurrentThreadCpuTime();
                for (int rep = 0; rep < reps; rep++) {
                    run.k().invoke(run.bufs(), run.scalars(), 0, run.range());
                }
                best[i] = Math.min(best[i], (threads.getCurrentThreadCpuTime() - t0) / reps);
            }
        }
        return best;
    }

    private static int bestOf(List<Run> runs, long[] best, String group, String prefix) {
        int b = -1;
        for (int i = 0; i < runs.size(); i++) {
            if (runs.get(i).group().equals(group) && runs.get(i).label().startsWith(prefix)
                    && (b < 0 || best[i] < best[b])) {
                b = i;
            }
        }
        return b;
    }

    private static Int8DepthwiseWorkload int8(Shape s) {
        return new Int8DepthwiseWorkload(s.channels(), s.k(), s.k(), s.stride(), s.stride(), 1, 1, false);
    }

    private static ConvWorkload fp32(Shape s) {
        return new ConvWorkload(s.channels(), s.channels(), s.channels(), s.k(), s.k(), s.stride(), s.stride(), 1,
                1, false, new Epilogue(List.of(EpilogueStep.BIAS, EpilogueStep.RELU)));
    }

    /** The same computation as plain integer loops (exactness over all shapes is Int8DepthwiseTemplateTest's). */
    private static byte[] reference(Shape s, byte[] x, byte[] weights, int[] bias, float[] mult, int zx, int zy) {
        int n = s.size();
        int o = s.out();
        int k = s.k();
        int pad = k / 2;
        byte[] y = new byte[s.channels() * o * o];
        for (int c = 0; c < s.channels(); c++) {
            for (int oy = 0; oy < o; oy++) {
                for (int ox = 0; ox < o; ox++) {
                    int acc = bias[c];
                    for (int ky = 0; ky < k; ky++) {
                        for (int kx = 0; kx < k; kx++) {
                            int iy = oy * s.stride() - pad + ky;
                            int ix = ox * s.stride() - pad + kx;
                            int v = iy >= 0 && iy < n && ix >= 0 && ix < n ? x[(c * n + iy) * n + ix] & 0xff : zx;
                            acc += (v - zx) * weights[(c * k + ky) * k + kx];
                        }
                    }
                    y[(c * o + oy) * o + ox] = (byte) QuantMath.requantize(acc, mult[c], zy, zy, 255);
                }
            }
        }
        return y;
    }
}
