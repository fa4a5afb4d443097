package dev.octet.quant;

import dev.octet.CompileOptions;
import dev.octet.build.ModelCompiler;
import dev.octet.ir.Graph;
import dev.octet.ir.OctetException;
import dev.octet.ir.Tensor;
import dev.octet.quant.FallbackResult.Sensitivity;
import dev.octet.runtime.CompiledModel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/**
 * Automatic accuracy-aware float fallback: returns the fewest quantized layers to float until a
 * {@link FallbackBudget} holds.
 *
 * <ol>
 *   <li>Quantize every layer; if the budget holds, stop (one compile: the cheap common case).</li>
 *   <li>Rank the int8 layers that round (Conv, Add; not MaxPool/Concat/Resize/Reshape/Flatten, which are exact on
 *       the integers) by single-layer sensitivity, measured <em>leave one out</em>: every layer int8 except that
 *       one, mean output cosine vs fp32 on the held-out inputs. Leave-one-out measures what the greedy step will
 *       actually gain by returning the layer, in the context of all the other layers' errors (including how a
 *       layer's error is amplified by the quantized layers after it), and it ranks residual Adds too, which
 *       cannot be quantized alone (their inputs come from int8 convs).</li>
 *   <li>Return layers to float in that order, most sensitive first (only those whose return alone helped),
 *       compiling and measuring after each and keeping a layer in float only where the budget's value improved on
 *       top of the layers returned before it, until the budget holds or {@link #maxLayers} are float.</li>
 * </ol>
 *
 * Each candidate is one graph compiled with the caller's compile options (the native library cache makes a second
 * run cheap); a progress bar goes to stderr unless {@code progress} is false.
 *
 * @param budget what must hold
 * @param maxLayers the most layers returned to float
 * @param heldOutImages how many calibration images {@link PostTrainingQuantizer} holds out for the budget and the
 *     ranking (taken from the end of the calibration set, so disjoint from the images calibrated on)
 * @param progress whether a progress bar goes to stderr
 */
public record FloatFallback(FallbackBudget budget, int maxLayers, int heldOutImages, boolean progress) {
    public FloatFallback {
        if (maxLayers < 1) {
            throw new OctetException("fallback: the most layers returned to float must be >= 1, not " + maxLayers);
        }
        if (heldOutImages < 1) {
            throw new OctetException("fallback: held-out images must be >= 1, not " + heldOutImages);
        }
    }

    /** Mean output cosine >= 0.99 on 8 held-out images, at most 16 layers to float, with a progress bar. */
    public static FloatFallback defaults() {
        return new FloatFallback(FallbackBudget.minCosine(0.99, false), 16, 8, true);
    }

    public FloatFallback withBudget(FallbackBudget b) {
        return new FloatFallback(b, maxLayers, heldOutImages, progress);
    }

    public FloatFallback withMaxLayers(int n) {
        return new FloatFallback(budget, n, heldOutImages, progress);
    }

    public FloatFallback withHeldOutImages(int n) {
        return new FloatFallback(budget, maxLayers, n, progress);
    }

    public FloatFallback quiet() {
        return new FloatFallback(budget, maxLayers, heldOutImages, false);
    }

    /**
     * Runs the fallback search.
     *
     * @param simplified the simplified fp32 graph the quantizer reads
     * @param heldOut inputs not calibrated on
     * @param options the quantize options (their skip list is kept and extended)
     * @param quantize quantizes {@code simplified} with given options (calibration ranges fixed)
     * @param compile how candidates (and the fp32 model) are compiled
     */
    public FallbackResult run(Graph simplified, List<Map<String, Tensor>> heldOut, QuantizeOptions options,
            Function<QuantizeOptions, QuantizedModel> quantize, CompileOptions compile) {
        if (heldOut.isEmpty()) {
            throw new OctetException("fallback needs at least one held-out input");
        }
        FallbackBudget.Check check;
        OutputAgreement agreement;
        try (CompiledModel fp32 = ModelCompiler.compile(simplified, compile)) {
            check = budget.against(fp32, heldOut);
            agreement = new OutputAgreement(fp32, heldOut);
        }
        QuantizedModel all = quantize.apply(options);
        double before;
        double allCosine;
        try (CompiledModel m = ModelCompiler.compile(all.qdq(), compile)) {
            before = check.value(m);
            if (check.holds(before)) {
                return new FallbackResult(all, check.describe(), before, before, true, List.of(), List.of());
            }
            allCosine = agreement.mean(m);
        }
        List<LayerSummary> candidates = all.summary().layers().stream().filter(l -> l.int8()
                && (l.opType().equals("Conv") || l.opType().equals("Add"))).toList();
        Map<String, Integer> nameCount = new HashMap<>();
        simplified.nodes().forEach(n -> nameCount.merge(n.name(), 1, Integer::sum));
        List<Sensitivity> ranking = new ArrayList<>();
        try (ProgressBar bar = progress ? bar("Fallback: ranking", candidates.size()) : null) {
            for (LayerSummary l : candidates) {
                String key = !l.name().isEmpty() && nameCount.get(l.name()) == 1 ? l.name()
                        : Integer.toString(l.index());
                double without = measure(quantize.apply(skipping(options, Set.of(key))), agreement::mean, compile);
                ranking.add(new Sensitivity(l.index(), l.name(), l.opType(), key, without, without - allCosine));
                if (bar != null) {
                    bar.step();
                }
            }
        }
        ranking.sort(Comparator.comparingDouble(Sensitivity::gain).reversed());
        List<Sensitivity> kept = new ArrayList<>();
        Set<String> keys = new LinkedHashSet<>();
        QuantizedModel best = all;
        double after = before;
        long helpful = ranking.stream().filter(s -> s.gain() > 0).count();
        try (ProgressBar bar = progress ? bar("Fallback: to float", (int) helpful) : null) {
            for (Sensitivity s : ranking) {
                if (kept.size() >= maxLayers || !(s.gain() > 0)) {
                    break;
                }
                Set<String> trial = new LinkedHashSet<>(keys);
                trial.add(s.key());
                QuantizedModel candidate = quantize.apply(skipping(options, trial));
                double value = measure(candidate, check::value, compile);
                if (bar != null) {
                    bar.step();
                }
                // Single-layer gains do not add up: a layer whose return does not improve the budget's value on
                // top of those already returned stays int8 (else an unmet budget could end worse than all-int8).
                if (!(value > after)) {
                    continue;
                }
                keys = trial;
                kept.add(s);
                best = candidate;
                after = value;
                if (check.holds(after)) {
                    break;
                }
            }
        }
        return new FallbackResult(best, check.describe(), before, after, check.holds(after), kept, ranking);
    }

    private static QuantizeOptions skipping(QuantizeOptions options, Set<String> keys) {
        Set<String> skip = new LinkedHashSet<>(options.skipNodes());
        skip.addAll(keys);
        return options.withSkipNodes(skip);
    }

    private static double measure(QuantizedModel q, ToDoubleFunction<CompiledModel> value,
            CompileOptions compile) {
        try (CompiledModel m = ModelCompiler.compile(q.qdq(), compile)) {
            return value.applyAsDouble(m);
        }
    }

    private static ProgressBar bar(String task, int steps) {
        return new ProgressBarBuilder().setTaskName(task).setInitialMax(steps).setUnit(" layers", 1)
                .setConsumer(new ConsoleProgressBarConsumer(System.err)).continuousUpdate().build();
    }
}
