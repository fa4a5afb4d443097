package dev.octet.report;

import dev.octet.ir.Node;
import dev.octet.ir.Tensor;
import dev.octet.runtime.CompiledModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Where a compiled model spends its time, step by step: the median over N timed runs of each step's wall time
 * ({@link CompiledModel#runTimedPerStep}), and the median and minimum of the whole runs. Medians, because a shared
 * machine's noise only adds time and the median of a step is not thrown by one disturbed run.
 *
 * @param layers the steps that ran (neither fused into an earlier step nor folded to a constant), in graph order
 * @param medianMs median wall time of a whole run
 * @param minMs fastest whole run
 * @param runs timed runs (after one warm-up run)
 */
public record LatencyProfile(List<LayerLatency> layers, double medianMs, double minMs, int runs) {
    public LatencyProfile {
        layers = List.copyOf(layers);
    }

    /**
     * Times {@code runs} runs of the model on {@code inputs} after one warm-up run (the shape plan, the JIT).
     *
     * @throws IllegalArgumentException where runs is below 1
     */
    public static LatencyProfile measure(CompiledModel model, Map<String, Tensor> inputs, int runs) {
        if (runs < 1) {
            throw new IllegalArgumentException("runs must be at least 1, not " + runs);
        }
        List<Node> nodes = model.graph().nodes();
        List<String> steps = model.stepDescriptions();
        model.run(inputs);
        long[][] perRun = new long[runs][];
        double[] totals = new double[runs];
        for (int r = 0; r < runs; r++) {
            perRun[r] = new long[nodes.size()];
            long start = System.nanoTime();
            model.runTimedPerStep(inputs, perRun[r]);
            totals[r] = (System.nanoTime() - start) / 1e6;
        }
        List<LayerLatency> layers = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            double[] ms = new double[runs];
            boolean ran = false;
            for (int r = 0; r < runs; r++) {
                ms[r] = perRun[r][i] / 1e6;
                ran |= perRun[r][i] > 0;
            }
            if (ran && !steps.get(i).equals("fused")) {
                Node n = nodes.get(i);
                layers.add(new LayerLatency(i, n.name(), n.opType(), steps.get(i), median(ms)));
            }
        }
        return new LatencyProfile(layers, median(totals), Arrays.stream(totals).min().orElseThrow(), runs);
    }

    /** The sum of the steps' medians (the whole run's median also counts the time between steps). */
    public double stepSumMs() {
        return layers.stream().mapToDouble(LayerLatency::medianMs).sum();
    }

    static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
