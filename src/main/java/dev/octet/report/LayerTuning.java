package dev.octet.report;

import dev.octet.build.ModelCompiler;
import dev.octet.kernel.Config;
import dev.octet.kernel.IsaLevel;
import dev.octet.kernel.KernelUse;
import dev.octet.runtime.BuildRecord;
import dev.octet.tune.TuningRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Whether one step's kernel runs a tuned configuration or its template's defaults, and what the tuning log measured
 * of both. "Tuned" means the build chose a configuration other than the defaults (from {@code --tune}, a tuning log,
 * or a bundle's recorded choices); a workload whose tuning kept the defaults as the fastest is told apart from one
 * never tuned.
 *
 * @param index the step's index (its node's in the compiled graph)
 * @param workload the workload key of its kernel
 * @param chosen the configuration the build chose
 * @param defaults the template's default configuration for the workload
 * @param chosenMs the log's fastest verified time of the chosen configuration, NaN where the log has none
 * @param defaultMs the log's fastest verified time of the defaults (same target), NaN where the log has none
 * @param configsTried distinct configurations the log verified for the workload (on the chosen one's target)
 */
public record LayerTuning(int index, String workload, Config chosen, Config defaults, double chosenMs,
        double defaultMs, int configsTried) {
    /** Whether the step runs a configuration other than its template's defaults. */
    public boolean tuned() {
        return !chosen.equals(defaults);
    }

    /** Whether the workload was tuned (more than one configuration verified) and the defaults stayed the best. */
    public boolean defaultKept() {
        return !tuned() && configsTried > 1;
    }

    /**
     * What tuning did, as a short line for tooltips: e.g. "default kc=256,nc=256: 12 µs → 9 µs (1.33x) in the
     * tuning log", "tuned: the default was the fastest of 4 configurations", or "" for an untuned default.
     */
    public String describe() {
        if (tuned()) {
            String times = times();
            return "default " + defaultConfig() + (times.isEmpty() ? "" : ": " + times + " in the tuning log");
        }
        return defaultKept() ? "tuned: the default was the fastest of " + configsTried + " configurations" : "";
    }

    /** The default configuration: its knobs, with the template's name only where it is not the chosen one's. */
    public String defaultConfig() {
        String text = defaults.toString();
        return defaults.template().equals(chosen.template()) && text.endsWith("]")
                ? text.substring(defaults.template().length() + 1, text.length() - 1) : text;
    }

    /**
     * The tuning log's times of a tuned configuration: "12 µs → 9 µs (1.33x)" (default → tuned), what the log has
     * where it lacks one of them, or "" where it has neither.
     */
    public String times() {
        boolean hasDefault = !Double.isNaN(defaultMs);
        boolean hasChosen = !Double.isNaN(chosenMs);
        if (hasDefault && hasChosen) {
            return String.format(Locale.ROOT, "%s → %s (%.2fx)", LatencyBars.ms(defaultMs),
                    LatencyBars.ms(chosenMs), defaultMs / chosenMs);
        }
        return hasChosen ? "tuned " + LatencyBars.ms(chosenMs) + ", the default not timed"
                : hasDefault ? "default " + LatencyBars.ms(defaultMs) + ", the tuned one not timed" : "";
    }

    /**
     * Per step index of the compiled graph, the tuning of its kernel: the build's chosen configuration per workload
     * ({@link BuildRecord#configs}), the workload each node lowers to (the lowering asked again, as the tuner asks
     * it), and the times the log has of the chosen configuration and of the defaults. Steps without a tunable
     * kernel (reference operators, element-wise chains, pools, data movement) have none.
     *
     * @param compiledNodes the compiled graph's node names, in step order
     * @param log the tuning log's records, or null
     */
    public static Map<Integer, LayerTuning> of(BuildRecord build, List<String> compiledNodes, List<TuningRecord> log) {
        if (build == null || build.configs().isEmpty()) {
            return Map.of();
        }
        // the level the lowering chose configurations for: JVM kernels take the baseline level's (ModelCompiler.build)
        IsaLevel level = build.backend().equals("JVM") ? IsaLevel.X86_64_V3
                : build.level() != null ? build.level() : IsaLevel.defaultLevel();
        Map<String, KernelUse> useByNode = new HashMap<>();
        for (KernelUse u : ModelCompiler.kernelUses(build.input(), level)) {
            // a node with several kernels: the first (its main one) stands for it
            useByNode.putIfAbsent(u.node().name(), u);
        }
        Map<String, List<TuningRecord>> byWorkload = new HashMap<>();
        for (TuningRecord r : log == null ? List.<TuningRecord>of() : log) {
            if (r.usable()) {
                byWorkload.computeIfAbsent(r.workload(), k -> new ArrayList<>()).add(r);
            }
        }
        Map<Integer, LayerTuning> result = new HashMap<>();
        for (int i = 0; i < compiledNodes.size(); i++) {
            KernelUse u = useByNode.get(compiledNodes.get(i));
            Config chosen = u == null ? null : build.configs().get(u.request().key());
            if (chosen != null) {
                result.put(i, measured(i, u.request().key(), chosen, u.request().defaults(),
                        byWorkload.getOrDefault(u.request().key(), List.of())));
            }
        }
        return Map.copyOf(result);
    }

    /** The log's times of the chosen configuration and of the defaults, on the target the chosen one was timed. */
    static LayerTuning measured(int index, String workload, Config chosen, Config defaults,
            List<TuningRecord> records) {
        TuningRecord best = fastest(records, chosen, null);
        String target = best != null ? best.target() : null;
        TuningRecord baseline = fastest(records, defaults, target);
        Set<Config> tried = new HashSet<>();
        for (TuningRecord r : records) {
            if (target == null || r.target().equals(target)) {
                tried.add(r.config());
            }
        }
        return new LayerTuning(index, workload, chosen, defaults, best == null ? Double.NaN : best.minSeconds() * 1e3,
                baseline == null ? Double.NaN : baseline.minSeconds() * 1e3, tried.size());
    }

    private static TuningRecord fastest(List<TuningRecord> records, Config config, String target) {
        TuningRecord best = null;
        for (TuningRecord r : records) {
            if (r.config().equals(config) && (target == null || r.target().equals(target))
                    && (best == null || r.minSeconds() < best.minSeconds())) {
                best = r;
            }
        }
        return best;
    }
}
