package dev.octet.build;

import dev.octet.CompileOptions;
import dev.octet.Octet;
import dev.octet.ir.Model;
import dev.octet.ir.Tensor;
import dev.octet.ir.Value;
import dev.octet.runtime.CompiledModel;
import dev.octet.testing.TestData;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Times compiled real models on one thread: best of 5 runs after 5 warm-up runs (wall and CPU time: the
 * CPU time is steadier on a shared machine), then the time split by kind of step (the
 * step description up to its knob list; each kind's best of 5). Not a test: run its main with the test class path, e.g.
 * {@code java -cp target/classes:target/test-classes:$(cat cp.txt) dev.octet.build.ModelTimings}.
 */
public final class ModelTimings {
    /** CPU time of the calling thread: on one thread it runs every step, and it ignores time spent descheduled. */
    private static final java.lang.management.ThreadMXBean CPU = java.lang.management.ManagementFactory
            .getThreadMXBean();

    private ModelTimings() {
    }

    /** Without arguments: BlazeFace front and M-LSD tiny; else pairs of arguments MODEL.onnx N,C,H,W ({@code -Dthreads=N}, default 1; {@code -DtuningLog=FILE} applies a tuning log's bests). */
    public static void main(String[] args) {
        CompileOptions options = CompileOptions.defaults().withThreads(Integer.getInteger("threads", 1))
                .withCacheDir(Path.of("target", "test-native-cache"));
        if (System.getProperty("tuningLog") != null) {
            options = options.withTuningLog(Path.of(System.getProperty("tuningLog")));
        }
        if (args.length == 0) {
            time("blazeface front", TestData.blazeface("face_detection_front_128x128_barracuda.onnx"), null, options);
            time("mlsd tiny 320", TestData.mlsd("mlsd_320x320_tiny.onnx"), null, options);
        }
        for (int i = 0; i + 1 < args.length; i += 2) {
            int[] shape = java.util.Arrays.stream(args[i + 1].split(",")).mapToInt(Integer::parseInt).toArray();
            time(args[i], Path.of(args[i]), shape, options);
        }
    }

    private static void time(String label, Path file, int[] given, CompileOptions options) {
        Model model = Octet.load(file);
        Value in = model.graph().inputs().get(0);
        int[] shape = given != null ? given : in.type().shape();
        Random r = new Random(1);
        float[] x = new float[Math.multiplyExact(shape[0], shape[1] * shape[2] * shape[3])];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (r.nextDouble() * 2 - 1);
        }
        Map<String, Tensor> inputs = Map.of(in.name(), Tensor.ofFloats(shape, x));
        try (CompiledModel m = Octet.compile(model, options)) {
            for (int i = 0; i < 5; i++) {
                m.run(inputs); // warm-up: JIT and the shape plan
            }
            long best = Long.MAX_VALUE;
            long bestCpu = Long.MAX_VALUE;
            for (int i = 0; i < 5; i++) {
                long t0 = System.nanoTime();
                long c0 = CPU.getCurrentThreadCpuTime();
                m.run(inputs);
                bestCpu = Math.min(bestCpu, CPU.getCurrentThreadCpuTime() - c0);
                best = Math.min(best, System.nanoTime() - t0);
            }
            System.out.printf("%s: best of 5 = %.2f ms wall, %.2f ms cpu (%s)%n", label, best / 1e6, bestCpu / 1e6,
                    m.backendDescription());
            Map<String, Long> kinds = new TreeMap<>();
            for (int i = 0; i < 5; i++) {
                Map<String, Long> times = new TreeMap<>();
                m.runTimed(inputs, times);
                Map<String, Long> run = new TreeMap<>();
                times.forEach((d, t) -> run.merge(d.replaceAll("\\[.*", ""), t, Long::sum));
                run.forEach((k, t) -> kinds.merge(k, t, Math::min));
            }
            kinds.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
                    .forEach(e -> System.out.printf("    %-32s %8.2f ms%n", e.getKey(), e.getValue() / 1e6));
            if (Boolean.getBoolean("steps")) {
                printSteps(m, inputs);
            }
        }
    }

    /**
     * -Dsteps=true: each step's best and median of 11 wall times, in graph order (where each layer's time goes in
     * the model; a median far above the best is a step that other work on the machine, or a late thread, often
     * holds up), and the sums of both.
     */
    private static void printSteps(CompiledModel m, Map<String, Tensor> inputs) {
        java.util.List<String> names = m.stepDescriptions();
        int runs = 11;
        long[][] times = new long[names.size()][runs];
        for (int i = 0; i < runs; i++) {
            long[] t = new long[names.size()];
            m.runTimedPerStep(inputs, t);
            for (int s = 0; s < t.length; s++) {
                times[s][i] = t[s];
            }
        }
        double bestSum = 0;
        double medianSum = 0;
        for (int s = 0; s < times.length; s++) {
            java.util.Arrays.sort(times[s]);
            double best = times[s][0] / 1e6;
            double median = times[s][runs / 2] / 1e6;
            bestSum += best;
            medianSum += median;
            System.out.printf("    step %3d %8.3f ms  (median %8.3f)  %s%n", s, best, median, names.get(s));
        }
        System.out.printf("    steps' sum %8.3f ms  (medians %8.3f)%n", bestSum, medianSum);
    }
}
