package dev.octet.tune;

import dev.octet.kernel.Config;
import dev.octet.kernel.KnobSpace;
import dev.octet.tune.model.ConfigFeatures;
import dev.octet.tune.model.GradientBoostedTrees;
import dev.octet.tune.model.LoopFeatures;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;

/**
 * The learned tuner ("xgb", after AutoTVM's XGBTuner; the model is {@link GradientBoostedTrees}, pure Java): after
 * every measured batch it refits a boosted-tree model of relative speed over {@link ConfigFeatures} (knobs, the
 * workload key, and the {@link LoopFeatures} of each configuration's loop nest where its workload's problem is
 * known; -Doctet.tune.knobFeaturesOnly=true leaves them out: on the ResNet-50 replay, summed median trials over 100
 * seeds, xgb 114 without them and 117.5 with them, xgb pre-trained on the other tasks 81.5 without and 77.5 with),
 * then proposes
 * the unseen configurations the model ranks fastest, scored exhaustively where the space is listable and found by
 * {@link AnnealingSearch} where it is not. A share of each batch is random so that a wrong model cannot starve a
 * region of the space. Records of other workloads on the same target (an existing log) with a template this task
 * can use pre-train the model: with them the first batch is already ranked instead of random. Targets are
 * normalised per workload ({@link RankTargets}) so that workloads of very different absolute cost teach the same
 * lesson: which knobs are faster.
 */
final class CostModelTuner implements Tuner {
    /** Share of each batch drawn at random (exploration). */
    static final double EXPLORE = 0.1;
    /** Own usable records needed before the model is trusted without transfer records. */
    private static final int MIN_RECORDS = 4;
    /** Whether the model sees the loop-nest features of each configuration besides its knobs. */
    static final boolean LOOP_FEATURES = !Boolean.getBoolean("octet.tune.knobFeaturesOnly");
    /** The most transfer records used (the newest), to keep each refit in milliseconds. */
    private static final int MAX_TRANSFER = 4000;

    private final TuningTask task;
    private final SpaceWalk walk;
    private final Random random;
    private final ConfigFeatures features;
    private final MeasuredConfigs own;
    private final Map<Config, double[]> featureCache = new HashMap<>();
    private final List<double[]> transferX = new ArrayList<>();
    private final List<Double> transferY = new ArrayList<>();
    private GradientBoostedTrees model;

    /**
     * @param mine this task's records on this target: measured, so never proposed again, and training data
     * @param transfer records of other workloads on the same target: training data only
     */
    CostModelTuner(TuningTask task, List<TuningRecord> mine, List<TuningRecord> transfer, long seed) {
        this(task, mine, transfer, seed, key -> key.equals(task.key()) ? task.problem() : null);
    }

    /**
     * @param problems the problem of a workload key (to build the loop nests of its configurations for the
     *     {@link LoopFeatures}), or null where unknown (its loop features are absent)
     */
    CostModelTuner(TuningTask task, List<TuningRecord> mine, List<TuningRecord> transfer, long seed,
            Function<String, Problem> problems) {
        this.task = task;
        this.random = new Random(seed ^ task.key().hashCode());
        this.walk = new SpaceWalk(task.problem().spaces(), random);
        Set<String> templates = new HashSet<>();
        task.problem().spaces().forEach(sp -> templates.add(sp.template()));
        // Only templates this task can use: another template's knobs mean other things (fp32 and int8 GEMMs both
        // have an "nc"); mixing them made transfer worse than none in the ResNet-50 replay.
        List<TuningRecord> usable = transfer.stream().filter(r -> templates.contains(r.config().template())).toList();
        List<TuningRecord> used = usable.subList(Math.max(0, usable.size() - MAX_TRANSFER), usable.size());
        Set<String> keys = new LinkedHashSet<>(List.of(task.key()));
        List<Config> configs = new ArrayList<>(task.problem().spaces().stream().map(KnobSpace::defaults).toList());
        used.forEach(r -> {
            keys.add(r.workload());
            configs.add(r.config());
        });
        this.features = LOOP_FEATURES ? ConfigFeatures.of(keys, configs, loopNests(problems))
                : ConfigFeatures.of(keys, configs);
        Map<String, Map<Config, Double>> byWorkload = new LinkedHashMap<>();
        for (TuningRecord r : used) {
            byWorkload.computeIfAbsent(r.workload(), k -> new LinkedHashMap<>())
                    .merge(r.config(), MeasuredConfigs.cost(r), Math::min);
        }
        byWorkload.forEach((key, costs) -> RankTargets.of(costs).forEach((c, y) -> {
            transferX.add(features.of(key, c));
            transferY.add(y);
        }));
        this.own = new MeasuredConfigs(mine);
        refit();
    }

    @Override
    public List<Config> next(int n) {
        List<Config> ranked = model == null ? List.of() : ranked(n);
        List<Config> out = new ArrayList<>();
        int r = 0;
        while (out.size() < n) {
            boolean explore = model == null || r >= ranked.size() || random.nextDouble() < EXPLORE;
            Config c = explore ? walk.randomUnseen(own.seen()) : ranked.get(r++);
            if (c == null) {
                break;
            }
            if (own.seen().add(c)) {
                out.add(c);
            }
        }
        return out;
    }

    @Override
    public void update(List<Measurement> measured) {
        own.update(measured);
        refit();
    }

    /** The model's prediction for a configuration of this task (higher: faster); NaN before any fit. */
    double predict(Config c) {
        return model == null ? Double.NaN : model.predict(featuresOf(c));
    }

    private void refit() {
        long usable = own.costs().values().stream().filter(Double::isFinite).count();
        if (transferY.isEmpty() && usable < MIN_RECORDS) {
            return;
        }
        List<double[]> x = new ArrayList<>(transferX);
        List<Double> y = new ArrayList<>(transferY);
        RankTargets.of(own.costs()).forEach((c, v) -> {
            x.add(featuresOf(c));
            y.add(v);
        });
        double[] w = new double[x.size()];
        java.util.Arrays.fill(w, 1.0);
        model = GradientBoostedTrees.fit(x.toArray(double[][]::new), y.stream().mapToDouble(Double::doubleValue)
                .toArray(), w, GradientBoostedTrees.Params.defaults());
    }

    /** Unseen configurations, the model's fastest first: enough for n picks. */
    private List<Config> ranked(int n) {
        if (walk.size() <= SpaceWalk.LISTABLE) {
            Map<Config, Double> score = new HashMap<>();
            walk.unseen(own.seen()).forEach(c -> score.put(c, predict(c)));
            return score.keySet().stream()
                    .sorted(Comparator.comparingDouble((Config c) -> -score.get(c)).thenComparing(Config::toString))
                    .limit(n).toList();
        }
        List<Config> best = own.costs().entrySet().stream().filter(e -> Double.isFinite(e.getValue()))
                .sorted(Map.Entry.comparingByValue()).map(Map.Entry::getKey).toList();
        return AnnealingSearch.top(walk, this::predict, best, own.seen(), n, random);
    }

    /** Builds a configuration's loop nest through its workload's problem; null where it cannot. */
    private static LoopFeatures.Source loopNests(Function<String, Problem> problems) {
        return (key, c) -> {
            Problem p = problems.apply(key);
            try {
                return p == null ? null : p.kernel(c, "features");
            } catch (RuntimeException e) {
                return null; // a configuration its template refuses has no nest: its loop features are absent
            }
        };
    }

    private double[] featuresOf(Config c) {
        return featureCache.computeIfAbsent(c, k -> features.of(task.key(), k));
    }
}
