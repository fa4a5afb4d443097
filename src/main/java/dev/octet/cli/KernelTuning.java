package dev.octet.cli;

import dev.octet.build.ModelCompiler;
import dev.octet.codegen.c.CCompiler;
import dev.octet.ir.Model;
import dev.octet.ir.OctetException;
import dev.octet.tune.Candidate;
import dev.octet.tune.ExternalCandidates;
import dev.octet.tune.Measurer;
import dev.octet.tune.Target;
import dev.octet.tune.TaskRun;
import dev.octet.tune.TaskScheduler;
import dev.octet.tune.Tasks;
import dev.octet.tune.Timing;
import dev.octet.tune.Tuner;
import dev.octet.tune.TuningLog;
import dev.octet.tune.TuningRecord;
import dev.octet.tune.TuningSession;
import dev.octet.tune.TuningTask;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * One tuning run of a model's kernels into a log, as {@code octet tune} and {@code octet compile --tune N} do it:
 * the model's distinct workloads as tasks, each candidate compiled, run in a worker process, verified and appended
 * to the log; tasks one after another ({@code trials} each, a bar per task) or, with {@code totalTrials}, by the
 * task scheduler (one bar over the whole budget).
 *
 * @param totalTrials null for {@code trials} per task
 * @param taskFilter null for every task
 * @param extraCandidates null for none
 * @param warmCaches time calls with the buffers left in the caches by the previous call (before: the harness
 *     flushes them, as a layer of a whole model finds its weights in memory)
 */
record KernelTuning(String tuner, int trials, Integer totalTrials, long seed, int threads, long timeout, int repeats,
        String taskFilter, Path extraCandidates, boolean warmCaches) {
    /** octet tune's defaults (its options' default values), in one place for them and for compile --tune. */
    static final String DEFAULT_TUNER = "xgb";
    static final String DEFAULT_TIMEOUT_SECONDS = "30";
    static final String DEFAULT_REPEATS = "10";
    static final String DEFAULT_SEED = "1";

    /** compile --tune N: the default tuner, scheduled over N trials in all, with octet tune's other defaults. */
    static KernelTuning scheduled(int totalTrials) {
        return new KernelTuning(DEFAULT_TUNER, 1, totalTrials, Long.parseLong(DEFAULT_SEED), 0,
                Long.parseLong(DEFAULT_TIMEOUT_SECONDS), Integer.parseInt(DEFAULT_REPEATS), null, null, false);
    }

    KernelTuning {
        if (!Tuner.NAMES.contains(tuner)) {
            throw new OctetException("--tuner '" + tuner + "' is not one of " + String.join(", ", Tuner.NAMES));
        }
        if (trials < 1 || repeats < 1 || repeats > 1000 || timeout < 1 || (totalTrials != null && totalTrials < 1)) {
            throw new OctetException(
                    "--trials, --total-trials, --repeats (at most 1000) and --timeout must be positive");
        }
    }

    /** What a run measured, and the measurer (for a confirmation after it). */
    record Outcome(List<TuningSession.Result> results, Measurer measurer, double seconds) {
        /** The use-weighted sum of the tasks' default and best times, in seconds: {before, after}. */
        double[] weightedTotals() {
            double before = 0;
            double after = 0;
            for (TuningSession.Result r : results) {
                double d = r.baseline() != null && r.baseline().usable() ? r.baseline().minSeconds() : Double.NaN;
                double b = r.best() != null ? r.best().minSeconds() : Double.NaN;
                if (Double.isFinite(d) && Double.isFinite(b)) {
                    before += d * r.task().uses();
                    after += b * r.task().uses();
                }
            }
            return new double[] {before, after};
        }

        int measured() {
            return results.stream().mapToInt(TuningSession.Result::measured).sum();
        }

        int failed() {
            return results.stream().mapToInt(TuningSession.Result::failed).sum();
        }
    }

    /**
     * Tunes {@code m}'s kernels into {@code log} (appended to; its records count as tried).
     *
     * @param name the model as the heading line names it ("tuning  N tasks of NAME, ...")
     * @throws OctetException without a C compiler, or where no task matches
     */
    Outcome run(Model m, String name, Path log, PrintWriter out, PrintWriter err) {
        CCompiler cc = CCompiler.find();
        if (cc == null) {
            throw new OctetException("tuning needs a C compiler (looked for " + CCompiler.searched() + ")");
        }
        Target target = Target.current();
        List<TuningTask> tasks = new ArrayList<>(Tasks.from(ModelCompiler.kernelUses(m.graph()), target));
        if (taskFilter != null) {
            tasks.removeIf(t -> !t.key().contains(taskFilter));
        }
        if (tasks.isEmpty()) {
            throw new OctetException("no tunable kernels" + (taskFilter == null ? "" : " match --task " + taskFilter));
        }
        Map<String, List<Candidate>> extras = extraCandidates == null ? Map.of()
                : ExternalCandidates.load(extraCandidates, tasks);
        List<TuningRecord> history = Files.exists(log)
                ? TuningLog.read(log, w -> err.println("octet: warning: " + w)) : List.of();
        Measurer.Settings settings = new Measurer.Settings(2, repeats, 120, timeout,
                threads > 0 ? threads : Runtime.getRuntime().availableProcessors()).withCacheFlush(!warmCaches);
        Measurer measurer = new Measurer(cc, Measurer.defaultDir(), settings);
        warnOtherTiming(history, target, measurer.timing(), log, err);
        out.println("tuning  " + tasks.size() + " tasks of " + name + ", " + (totalTrials == null
                ? trials + " trials each" : totalTrials + " trials in all, scheduled") + " (" + tuner + "), target "
                + target);
        out.flush();
        long start = System.nanoTime();
        List<TuningSession.Result> results = new ArrayList<>();
        try (TuningLog appender = TuningLog.append(log, w -> err.println("octet: warning: " + w))) {
            TuningSession session = new TuningSession(measurer, appender, cc.version(), history,
                    settings.buildThreads() * 2);
            session.register(tasks);
            if (totalTrials == null) {
                tuneEach(session, tasks, extras, err, results);
            } else {
                tuneScheduled(session, tasks, extras, settings.buildThreads() * 2, err, results);
            }
        }
        return new Outcome(results, measurer, (System.nanoTime() - start) / 1e9);
    }

    /**
     * A log resumed with the other timing mode: its records of that mode are not comparable, so they count neither as
     * tried nor as best so far nor as training data, and builds prefer the flushed ones (see BestRecords).
     */
    private static void warnOtherTiming(List<TuningRecord> history, Target target, Timing timing, Path log,
            PrintWriter err) {
        long other = history.stream().filter(r -> r.target().equals(target.key()) && r.timing() != timing).count();
        if (other > 0) {
            Timing them = timing == Timing.FLUSHED ? Timing.WARM : Timing.FLUSHED;
            err.println("octet: warning: " + log + " holds " + other + " records for this target timed with "
                    + them.describe() + "; this session times with " + timing.describe() + ": they are compared "
                    + "separately (not resumed, not learned from), and builds take a workload's best among its "
                    + "flushed records where it has any");
        }
    }

    /** Round robin: each task in turn, --trials each, a progress bar per task. */
    private void tuneEach(TuningSession session, List<TuningTask> tasks, Map<String, List<Candidate>> extras,
            PrintWriter err, List<TuningSession.Result> results) {
        for (int i = 0; i < tasks.size(); i++) {
            TuningTask task = tasks.get(i);
            try (ProgressBar bar = bar("[" + (i + 1) + "/" + tasks.size() + "]", trials, 100, err)) {
                bar.setExtraMessage(task.key());
                results.add(session.tune(task, tuner, trials, seed, extras.getOrDefault(task.key(), List.of()),
                        (t, done, total, best) -> {
                            bar.stepTo(done);
                            bar.setExtraMessage(best == null ? "no verified candidate yet"
                                    : String.format("best %.3f ms", best.minSeconds() * 1e3));
                        }));
            }
            err.println();
        }
    }

    /** --total-trials: one bar over the whole budget; the message names the task the last round went to. */
    private void tuneScheduled(TuningSession session, List<TuningTask> tasks, Map<String, List<Candidate>> extras,
            int round, PrintWriter err, List<TuningSession.Result> results) {
        List<TaskRun> runs = new ArrayList<>();
        for (TuningTask t : tasks) {
            runs.add(session.open(t, tuner, seed, extras.getOrDefault(t.key(), List.of())));
        }
        try (ProgressBar bar = bar("[" + tasks.size() + " tasks]", totalTrials, 130, err)) {
            TaskScheduler.run(runs, totalTrials, round, (current, spent, total) -> {
                bar.stepTo(spent);
                TaskRun r = (TaskRun) current;
                String key = r.task().key();
                bar.setExtraMessage(String.format("[%d/%d] %s %s", runs.indexOf(r) + 1, runs.size(),
                        r.best() == null ? "no verified candidate" : String.format("best %.3f ms", r.best()
                                .minSeconds() * 1e3), key.length() > 32 ? key.substring(0, 30) + ".." : key));
            });
        }
        err.println();
        runs.forEach(r -> results.add(r.result()));
    }

    private static ProgressBar bar(String name, long max, int width, PrintWriter err) {
        return new ProgressBarBuilder().setTaskName(name).setInitialMax(max).setStyle(ProgressBarStyle.ASCII)
                .setMaxRenderedLength(width)
                .setConsumer(new DelegatingProgressBarConsumer(line -> {
                    err.print("\r" + line);
                    err.flush();
                }, width))
                .build();
    }
}
