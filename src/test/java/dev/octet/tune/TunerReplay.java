package dev.octet.tune;

import dev.octet.kernel.Config;
import dev.octet.kernel.Knob;
import dev.octet.kernel.KnobSpace;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Replays tuners against a log that measured every configuration of some tasks once (e.g. `octet tune MODEL
 * --tuner grid --trials 1000 --task KEY --log grid.jsonl --confirm 0`): the recorded costs stand in for the
 * measurer, so each tuner can be run over many seeds in seconds, on real costs. Prints, per task and tuner, the
 * median (and 90th percentile) number of trials until a configuration within a given fraction of the task's best
 * recorded time is measured. "xgb+transfer" pre-trains on the log's other tasks (leave one out).
 *
 * <p>Usage: {@code TunerReplay LOG [SEEDS=50] [WITHIN=0.05] [BATCH=4]}
 */
public final class TunerReplay {
    private TunerReplay() {
    }

    public static void main(String[] args) {
        if (args.length < 1) {
            System.err.println("usage: TunerReplay LOG [SEEDS=50] [WITHIN=0.05] [BATCH=4]");
            System.exit(2);
        }
        List<TuningRecord> records = TuningLog.read(Path.of(args[0]), w -> System.err.println("warning: " + w));
        int seeds = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        double within = args.length > 2 ? Double.parseDouble(args[2]) : 0.05;
        int batch = args.length > 3 ? Integer.parseInt(args[3]) : 4;
        System.out.printf("%d seeds, batch %d, goal: within %.0f%% of the task's best recorded min time%n", seeds,
                batch, within * 100);
        System.out.printf("%-52s %6s %9s %5s  %-14s %-14s %-14s %-14s%n", "task", "space", "best ms", "goal#",
                "random", "ga", "xgb", "xgb+transfer");
        ReplayProblems problems = new ReplayProblems();
        for (List<TuningRecord> mine : tasks(records)) {
            TaskReplay r = replay(mine, others(records, mine), seeds, within, batch, problems::of);
            StringBuilder row = new StringBuilder(String.format("%-52s %6d %9.3f %5d ", shorten(r.task().key()),
                    r.task().size(), r.bestSeconds() * 1e3, r.reachable()));
            for (String tuner : TUNERS) {
                row.append(String.format(" %-14s", String.format("%5.1f (p90 %d)", r.median(tuner),
                        percentile(r.trials().get(tuner), 0.9))));
            }
            System.out.println(row);
        }
    }

    /** The tuners compared; "xgb+transfer" is xgb pre-trained on the log's other tasks. */
    static final List<String> TUNERS = List.of("random", "ga", "xgb", "xgb+transfer");

    /** One task's replay: its space, best time, how many configurations reach the goal, trials per tuner. */
    record TaskReplay(TuningTask task, double bestSeconds, long reachable, Map<String, List<Integer>> trials) {
        double median(String tuner) {
            return Replay.median(trials.get(tuner));
        }
    }

    /** The tasks of a log (by workload, target and timing mode: times of two modes are not comparable). */
    static List<List<TuningRecord>> tasks(List<TuningRecord> records) {
        Map<String, List<TuningRecord>> byTask = new LinkedHashMap<>();
        for (TuningRecord r : records) {
            byTask.computeIfAbsent(r.workload() + "\n" + r.target() + "\n" + r.timing(), k -> new ArrayList<>())
                    .add(r);
        }
        return List.copyOf(byTask.values());
    }

    /**
     * Runs every tuner over seeds 1..seeds against one task's recorded costs.
     *
     * @param others records of other workloads on the task's target (transfer)
     * @param problems the problem of a workload key, for the cost model's loop features (null where unknown)
     */
    static TaskReplay replay(List<TuningRecord> mine, List<TuningRecord> others, int seeds, double within,
            int batch, java.util.function.Function<String, Problem> problems) {
        Map<Config, Double> cost = new LinkedHashMap<>();
        for (TuningRecord r : mine) {
            cost.merge(r.config(), r.usable() ? r.minSeconds() : Double.NaN, (a, b) -> Double.isNaN(a) ? b : a);
        }
        List<KnobSpace> spaces = spaces(List.copyOf(cost.keySet()));
        TuningTask task = new TuningTask(new SpaceOnlyProblem(mine.get(0).workload(), spaces),
                new Target(mine.get(0).target()), 1);
        double best = cost.values().stream().filter(Double::isFinite).mapToDouble(d -> d).min().orElse(Double.NaN);
        double goal = best * (1 + within);
        long reachable = cost.values().stream().filter(c -> c <= goal).count();
        Map<String, List<Integer>> trials = new LinkedHashMap<>();
        for (String tuner : TUNERS) {
            List<Integer> n = new ArrayList<>();
            for (int s = 1; s <= seeds; s++) {
                String name = tuner.startsWith("xgb") ? "xgb" : tuner;
                Tuner t = Tuner.create(name, task, tuner.endsWith("transfer") ? others : List.of(), s, problems);
                n.add(Replay.trialsToReach(t, task.defaults(), c -> cost.getOrDefault(c, Double.NaN), goal,
                        (int) task.size(), batch));
            }
            trials.put(tuner, n);
        }
        return new TaskReplay(task, best, reachable, trials);
    }

    /** The log's records of other workloads on the same target and in the same timing mode as mine. */
    static List<TuningRecord> others(List<TuningRecord> records, List<TuningRecord> mine) {
        return records.stream().filter(r -> r.target().equals(mine.get(0).target())
                && r.timing() == mine.get(0).timing() && !r.workload().equals(mine.get(0).workload())).toList();
    }

    /** Each template's knobs with the values seen, the first record's (the default's) value first. */
    static List<KnobSpace> spaces(List<Config> configs) {
        Map<String, Map<String, List<Integer>>> values = new LinkedHashMap<>();
        for (Config c : configs) {
            Map<String, List<Integer>> knobs = values.computeIfAbsent(c.template(), k -> new LinkedHashMap<>());
            new java.util.TreeMap<>(c.values()).forEach((k, v) -> {
                List<Integer> seen = knobs.computeIfAbsent(k, x -> new ArrayList<>());
                if (!seen.contains(v)) {
                    seen.add(v);
                }
            });
        }
        List<KnobSpace> out = new ArrayList<>();
        values.forEach((template, knobs) -> out.add(new KnobSpace(template,
                knobs.entrySet().stream().map(k -> new Knob(k.getKey(), k.getValue())).toList())));
        return out;
    }

    private static int percentile(List<Integer> xs, double p) {
        List<Integer> s = xs.stream().sorted().toList();
        return s.get(Math.min(s.size() - 1, (int) Math.ceil(p * s.size()) - 1));
    }

    private static String shorten(String key) {
        return key.length() <= 52 ? key : key.substring(0, 49) + "...";
    }
}
