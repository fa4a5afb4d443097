package dev.octet.build;

import dev.octet.CompileOptions;
import dev.octet.Octet;
import dev.octet.ir.Model;
import dev.octet.ir.Tensor;
import dev.octet.ir.Value;
import dev.octet.runtime.CompiledModel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;

/**
 * A compiled model's run time from its first run on, with no warm-up: the median of each window of runs, so that
 * the JIT's warm-up shows (at 2 threads on 2 cores its compiler threads take cores from the compute threads), then
 * 30 runs with every step timed, giving the run's wall time minus its steps' sum: the Java between the steps. Not
 * a test: {@code java ... dev.octet.build.RunCurve MODEL N,C,H,W} ({@code -Dthreads=N}, default 1;
 * {@code -Druns=N}, default 300; {@code -Dwindow=N}, default 25; {@code -DtuningLog=FILE}).
 */
public final class RunCurve {
    private RunCurve() {
    }

    public static void main(String[] args) {
        int threads = Integer.getInteger("threads", 1);
        int runs = Integer.getInteger("runs", 300);
        int window = Integer.getInteger("window", 25);
        CompileOptions options = CompileOptions.defaults().withThreads(threads)
                .withCacheDir(Path.of("target", "test-native-cache"));
        if (System.getProperty("tuningLog") != null) {
            options = options.withTuningLog(Path.of(System.getProperty("tuningLog")));
        }
        Model model = Octet.load(Path.of(args[0]));
        Value in = model.graph().inputs().get(0);
        int[] shape = Arrays.stream(args[1].split(",")).mapToInt(Integer::parseInt).toArray();
        float[] x = new float[Arrays.stream(shape).reduce(1, Math::multiplyExact)];
        Random r = new Random(1);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (r.nextDouble() * 2 - 1);
        }
        Map<String, Tensor> inputs = Map.of(in.name(), Tensor.ofFloats(shape, x));
        try (CompiledModel m = Octet.compile(model, options)) {
            double[] ms = new double[runs];
            for (int i = 0; i < runs; i++) {
                long t0 = System.nanoTime();
                m.run(inputs);
                ms[i] = (System.nanoTime() - t0) / 1e6;
            }
            StringBuilder curve = new StringBuilder("median per " + window + " runs, from the first:");
            for (int s = 0; s < runs; s += window) {
                double[] w = Arrays.copyOfRange(ms, s, Math.min(runs, s + window));
                curve.append(String.format(" %d:%.1f", s, median(w)));
            }
            System.out.println(curve);
            int n = m.graph().nodes().size();
            double[] outside = new double[30];
            for (int i = 0; i < outside.length; i++) {
                long[] steps = new long[n];
                long t0 = System.nanoTime();
                m.runTimedPerStep(inputs, steps);
                outside[i] = (System.nanoTime() - t0 - Arrays.stream(steps).sum()) / 1e6;
            }
            System.out.printf("wall minus the steps' sum, next 30 runs: median %.2f ms, min %.2f%n", median(outside),
                    Arrays.stream(outside).min().orElseThrow());
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
