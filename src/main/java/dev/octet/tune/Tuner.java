package dev.octet.tune;

import dev.octet.kernel.Config;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;

/**
 * Proposes the configurations of a task to measure next. Grid walks the space in its fixed order; random draws
 * without replacement; "ga" is a {@link GeneticTuner}; "xgb" a {@link CostModelTuner} (a pure-Java boosted-tree
 * cost model, not the XGBoost library; the name is the one AutoTVM users know). All skip what a log already holds
 * for the task on the target (a resumed session repeats nothing), and none proposes a configuration twice.
 */
interface Tuner {
    /** Up to n configurations not proposed or tried before; fewer (or none) once the space is exhausted. */
    List<Config> next(int n);

    /** What was measured (learned tuners refit on it; grid and random ignore it). */
    default void update(List<Measurement> measured) {
    }

    /** The tuners {@link #create} knows. */
    List<String> NAMES = List.of("grid", "random", "ga", "xgb");

    /**
     * @param history the log's records (any workload, any target): this task's on its target are tried; other
     *     workloads' on the same target pre-train the cost model ("xgb")
     * @throws IllegalArgumentException for an unknown name
     */
    static Tuner create(String name, TuningTask task, List<TuningRecord> history, long seed) {
        return create(name, task, history, seed, key -> key.equals(task.key()) ? task.problem() : null);
    }

    /**
     * {@link #create}, with the problems of the workloads the history may hold (the cost model reads the loop nests
     * of their configurations; null for a workload it cannot build).
     */
    static Tuner create(String name, TuningTask task, List<TuningRecord> history, long seed,
            Function<String, Problem> problems) {
        String target = task.target().key();
        List<TuningRecord> mine = new ArrayList<>();
        List<TuningRecord> others = new ArrayList<>();
        for (TuningRecord r : history) {
            if (r.target().equals(target)) {
                (r.workload().equals(task.key()) ? mine : others).add(r);
            }
        }
        return switch (name) {
            case "grid", "random" -> listed(name, task, mine, seed);
            case "ga" -> new GeneticTuner(task, mine, seed);
            case "xgb" -> new CostModelTuner(task, mine, others, seed, problems);
            default -> throw new IllegalArgumentException("unknown tuner " + name + " (known: " + NAMES + ")");
        };
    }

    private static Tuner listed(String name, TuningTask task, List<TuningRecord> mine, long seed) {
        List<Config> order = new ArrayList<>(task.configs());
        if (name.equals("random")) {
            Collections.shuffle(order, new Random(seed ^ task.key().hashCode()));
        }
        Set<Config> tried = new HashSet<>();
        mine.forEach(r -> tried.add(r.config()));
        order.removeIf(tried::contains);
        return new Tuner() {
            private int next;

            @Override
            public List<Config> next(int n) {
                List<Config> out = order.subList(next, Math.min(order.size(), next + n));
                next += out.size();
                return List.copyOf(out);
            }
        };
    }
}
