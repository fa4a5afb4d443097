package dev.octet.tune;

import dev.octet.CompileOptions;
import dev.octet.Octet;
import dev.octet.build.ModelCompiler;
import dev.octet.ir.Model;
import dev.octet.ir.Node;
import dev.octet.ir.Tensor;
import dev.octet.kernel.Config;
import dev.octet.kernel.KernelUse;
import dev.octet.runtime.CompiledModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A tuning log's choices confirmed where they count: inside the whole model. The harness times a kernel alone,
 * its buffers flushed from every cache; inside a model a layer's weights come from the last level cache (the model's
 * previous run left them there) and its input from the layer before. The two disagree: on int8 ResNet-50 the 14×14
 * 3×3 convs' best (one pixel block, weights read once) was confirmed 1.85× alone and ran 0.8× in the model, and the
 * tuned model was 0.94–0.95× the untuned one (`octet bench --vs untuned`).
 *
 * <p>So the model is built twice in this process, with the log's configurations and with the defaults, and run
 * round by round in ABBA order, each step timed ({@link CompiledModel#runTimedPerStep}); for every workload whose
 * tuned configuration differs from its default, the times of its steps are summed per round, and the per-round
 * ratios give the speedup and its paired noise as a kernel confirmation's do ({@link Confirmation#pairedNoise}).
 * Each verdict is a {@link ConfirmationRecord} of {@link Timing#MODEL}; being the latest confirmation of that best
 * in the log, it decides what later builds apply.
 */
public final class ModelConfirmation {
    private ModelConfirmation() {
    }

    /**
     * @param options the builds' options (threads, ISA level), without configurations: the tuned build adds
     *     {@code tuned}
     * @param inputs one input of the model, static shapes
     * @return a record per workload whose tuned configuration is not its default, in lowering order
     */
    public static List<ConfirmationRecord> run(Model model, Map<String, Tensor> inputs, CompileOptions options,
            TunedConfigs tuned, int rounds, String ccVersion) {
        try (CompiledModel plain = Octet.compile(model, options);
                CompiledModel tunedModel = Octet.compile(model, options.withConfigs(tuned))) {
            Map<String, Config> defaults = plain.buildRecord().orElseThrow().configs();
            Map<String, Config> chosen = tunedModel.buildRecord().orElseThrow().configs();
            Map<String, List<Integer>> steps = stepsOfChangedWorkloads(model, options, tunedModel, defaults, chosen);
            int n = tunedModel.graph().nodes().size();
            Map<String, double[]> plainTimes = new LinkedHashMap<>();
            Map<String, double[]> tunedTimes = new LinkedHashMap<>();
            steps.keySet().forEach(w -> {
                plainTimes.put(w, new double[rounds]);
                tunedTimes.put(w, new double[rounds]);
            });
            for (int i = 0; i < 2; i++) { // warm-up: libraries, pools, caches
                plain.run(inputs);
                tunedModel.run(inputs);
            }
            for (int r = 0; r < rounds; r++) {
                long[] p = new long[n];
                long[] t = new long[n];
                if (r % 2 == 0) {
                    plain.runTimedPerStep(inputs, p);
                    tunedModel.runTimedPerStep(inputs, t);
                } else {
                    tunedModel.runTimedPerStep(inputs, t);
                    plain.runTimedPerStep(inputs, p);
                }
                for (var e : steps.entrySet()) {
                    for (int s : e.getValue()) {
                        plainTimes.get(e.getKey())[r] += p[s] / 1e9;
                        tunedTimes.get(e.getKey())[r] += t[s] / 1e9;
                    }
                }
            }
            Target target = Target.current(options.isaLevel());
            List<ConfirmationRecord> out = new ArrayList<>();
            for (String w : steps.keySet()) {
                double[] p = plainTimes.get(w);
                double[] t = tunedTimes.get(w);
                double[] ratios = new double[rounds];
                for (int r = 0; r < rounds; r++) {
                    ratios[r] = t[r] / p[r];
                }
                Confirmation c = new Confirmation(Confirmation.median(p), Confirmation.median(t),
                        Confirmation.pairedNoise(ratios), rounds);
                out.add(ConfirmationRecord.of(w, target.key(), defaults.get(w), chosen.get(w), c, rounds,
                        Timing.MODEL, ccVersion));
            }
            return out;
        }
    }

    /** The step indices of each workload whose chosen configuration differs from its default. */
    private static Map<String, List<Integer>> stepsOfChangedWorkloads(Model model, CompileOptions options,
            CompiledModel compiled, Map<String, Config> defaults, Map<String, Config> chosen) {
        List<String> names = compiled.graph().nodes().stream().map(Node::name).toList();
        Map<String, List<Integer>> steps = new LinkedHashMap<>();
        for (KernelUse u : ModelCompiler.kernelUses(model.graph(), options.isaLevel())) {
            String w = u.request().key();
            Config d = defaults.get(w);
            if (d == null || d.equals(chosen.get(w))) {
                continue;
            }
            int step = names.indexOf(u.node().name());
            if (step >= 0) {
                steps.computeIfAbsent(w, k -> new ArrayList<>()).add(step);
            }
        }
        return steps;
    }
}
