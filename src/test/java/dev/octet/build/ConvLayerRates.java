package dev.octet.build;

import dev.octet.Octet;
import dev.octet.codegen.c.CCompiler;
import dev.octet.codegen.c.CPrinter;
import dev.octet.codegen.c.Headers;
import dev.octet.codegen.c.LibraryCache;
import dev.octet.ir.Attributes;
import dev.octet.ir.DataType;
import dev.octet.ir.Graph;
import dev.octet.ir.Model;
import dev.octet.ir.TensorType;
import dev.octet.ir.op.ShapeInference;
import dev.octet.kernel.Config;
import dev.octet.kernel.ConvGemmTemplate;
import dev.octet.kernel.ConvWorkload;
import dev.octet.kernel.IsaLevel;
import dev.octet.kernel.KernelUse;
import dev.octet.kernel.loop.LoopKernel;
import dev.octet.runtime.NativeKernel;
import dev.octet.runtime.NativeLibrary;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Single-thread GFLOP/s of every distinct conv-as-GEMM layer of a model, with its default configuration and with
 * variants given as knob overrides: where a model's conv time goes and how close each layer is to the FMA peak.
 * Inputs are small integers, so every variant's output must equal the default's exactly before its time counts.
 * Times are the thread's CPU time, best of round-robin trials. Not a test:
 * {@code java ... dev.octet.build.ConvLayerRates MODEL N,C,H,W [tile=0;nc=128,kc=512 ...]} ({@code -Dpeak=GFLOPS}
 * adds a percentage column, {@code -Dtrials=N}; {@code -Dbaseline=LIB.so} also times the same-named kernels of a
 * library this tool built earlier with the same variants, e.g. before a micro-kernel change, alternating with
 * the current ones in one process).
 */
public final class ConvLayerRates {
    private record Layer(String name, ConvWorkload w, int count, int h, int wd, int oh, int ow, int pt, int pl) {
        double flops() {
            return 2.0 * w.outChannels() * w.reduction() / w.groups() * oh * ow;
        }
    }

    private ConvLayerRates() {
    }

    public static void main(String[] args) throws Exception {
        Model model = Octet.load(Path.of(args[0]));
        long[] shape = Arrays.stream(args[1].split(",")).mapToLong(Long::parseLong).toArray();
        List<String> variants = new ArrayList<>(List.of(""));
        if (args.length > 2) {
            variants.addAll(List.of(args[2].split(";")));
        }
        double peak = Double.parseDouble(System.getProperty("peak", "0"));
        int trials = Integer.getInteger("trials", 25);
        IsaLevel level = IsaLevel.defaultLevel();
        Graph g = ModelCompiler.simplify(model.graph());
        ShapeInference.Result shapes = ShapeInference.infer(g, Map.of(g.inputs().get(0).name(),
                TensorType.of(DataType.FLOAT, shape)));
        Map<String, Layer> layers = new LinkedHashMap<>();
        for (KernelUse u : ModelCompiler.kernelUses(model.graph(), level)) {
            if (!(u.request().workload() instanceof ConvWorkload w)
                    || !u.request().defaults().template().equals(ConvGemmTemplate.NAME)) {
                continue;
            }
            Layer old = layers.get(w.key());
            if (old != null) {
                layers.put(w.key(), new Layer(old.name, w, old.count + 1, old.h, old.wd, old.oh, old.ow, old.pt, old.pl));
                continue;
            }
            int[] in = shapes.type(u.node().input(0)).shape();
            int[] out = shapes.type(u.node().outputs().get(0)).shape();
            Attributes a = u.node().attributes();
            long[] pads = a.getInts("pads", new long[] {0, 0, 0, 0});
            String name = String.format("%dx%d/%d %d>%d %dx%d", w.kernelH(), w.kernelW(), w.strideH(),
                    w.inChannels(), w.outChannels(), in[2], in[3]);
            layers.put(w.key(), new Layer(name, w, 1, in[2], in[3], out[2], out[3], (int) pads[0], (int) pads[1]));
        }
        List<Layer> list = List.copyOf(layers.values());
        List<LoopKernel> kernels = new ArrayList<>();
        List<List<Config>> configs = new ArrayList<>();
        for (Layer l : list) {
            Config base = ConvGemmTemplate.knobs(l.w, level).defaults();
            List<Config> cs = new ArrayList<>();
            for (String v : variants) {
                Config c = override(base, v);
                cs.add(c);
                kernels.add(ConvGemmTemplate.build(l.w, c, "rate" + kernels.size(), level));
            }
            configs.add(cs);
        }
        NativeLibrary lib = new LibraryCache(Path.of("target", "test-native-cache"), CCompiler.find(), level)
                .load(CPrinter.translationUnit(Headers.standard(), kernels), Headers.standard());
        String baselinePath = System.getProperty("baseline");
        NativeLibrary baseline = baselinePath == null ? null : NativeLibrary.load(Path.of(baselinePath));
        if (baseline != null) {
            List<String> both = new ArrayList<>();
            for (String v : variants) {
                both.add(v);
                both.add("base " + v);
            }
            variants = both;
        }
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        double[] totals = new double[variants.size()];
        double totalFlops = 0;
        System.out.printf("%-26s %3s %7s", "layer", "n", "MFLOP");
        for (String v : variants) {
            System.out.printf(" | %-18s", v.isEmpty() ? "default" : v);
        }
        System.out.println();
        int kernel = 0;
        for (int li = 0; li < list.size(); li++) {
            Layer l = list.get(li);
            ConvWorkload w = l.w;
            Random r = new Random(1);
            float[] x = ints(r, w.inChannels() * l.h * l.wd);
            float[] packed = ConvGemmTemplate.packWeights(w, ints(r, w.outChannels() * w.reduction() / w.groups()));
            float[] bias = ints(r, w.outChannels());
            float[] res = ints(r, w.outChannels() * l.oh * l.ow);
            long[] scalars = {l.h, l.wd, l.oh, l.ow, l.pt, l.pl};
            float[] first = null;
            long[] best = new long[variants.size()];
            Arrays.fill(best, Long.MAX_VALUE);
            List<Runnable> runs = new ArrayList<>();
            for (Config c : configs.get(li)) {
                float[] out = new float[w.outChannels() * l.oh * l.ow];
                List<MemorySegment> b = new ArrayList<>(List.of(seg(x), seg(packed)));
                if (w.epilogue().hasBias()) {
                    b.add(seg(bias));
                }
                if (w.epilogue().hasResidual()) {
                    b.add(seg(res));
                }
                b.add(seg(out));
                MemorySegment[] bufs = b.toArray(MemorySegment[]::new);
                long range = ConvGemmTemplate.parallelRange(w, 1, l.oh, l.ow, c);
                for (NativeLibrary from : baseline == null ? List.of(lib) : List.of(lib, baseline)) {
                    NativeKernel k = new NativeKernel(from, "rate" + kernel, bufs.length, scalars.length);
                    Arrays.fill(out, Float.NaN);
                    k.invoke(bufs, scalars, 0, range);
                    if (first == null) {
                        first = out.clone();
                    } else if (!Arrays.equals(first, out)) {
                        throw new AssertionError(l.name + " " + c + " differs from the default");
                    }
                    runs.add(() -> k.invoke(bufs, scalars, 0, range));
                }
                kernel++;
            }
            int reps = (int) Math.max(1, 5e7 / l.flops());
            for (int t = 0; t < trials; t++) {
                for (int i = 0; i < runs.size(); i++) {
                    long t0 = cpu.getCurrentThreadCpuTime();
                    for (int rep = 0; rep < reps; rep++) {
                        runs.get(i).run();
                    }
                    best[i] = Math.min(best[i], (cpu.getCurrentThreadCpuTime() - t0) / reps);
                }
            }
            System.out.printf("%-26s %3d %7.1f", l.name, l.count, l.flops() / 1e6);
            for (int i = 0; i < best.length; i++) {
                double gf = l.flops() / best[i];
                totals[i] += l.count * best[i] / 1e6;
                System.out.printf(" | %6.3fms %5.1f%s", best[i] / 1e6, gf, peak > 0
                        ? String.format(" %3.0f%%", 100 * gf / peak) : "");
            }
            totalFlops += l.count * l.flops();
            System.out.println();
        }
        System.out.printf("%-26s %3s %7.1f", "total (count-weighted)", "", totalFlops / 1e6);
        for (double t : totals) {
            System.out.printf(" | %6.2fms %5.1f%s", t, totalFlops / t / 1e6, peak > 0
                    ? String.format(" %3.0f%%", 100 * totalFlops / t / 1e6 / peak) : "");
        }
        System.out.println();
        lib.close();
    }

    /** The default with "knob=value,knob=value" applied. */
    private static Config override(Config base, String spec) {
        Map<String, Integer> values = new java.util.HashMap<>(base.values());
        for (String kv : spec.split(",")) {
            if (!kv.isBlank()) {
                String[] p = kv.split("=");
                values.put(p[0].trim(), Integer.parseInt(p[1].trim()));
            }
        }
        return new Config(base.template(), values);
    }

    private static float[] ints(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = r.nextInt(9) - 4;
        }
        return a;
    }

    private static MemorySegment seg(float[] a) {
        return MemorySegment.ofArray(a);
    }
}
