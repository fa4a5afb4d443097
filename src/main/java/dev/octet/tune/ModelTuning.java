package dev.octet.tune;

import dev.octet.codegen.c.CCompiler;
import dev.octet.ir.OctetException;
import dev.octet.kernel.KernelUse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One tuning run of a model's kernels into a log, as {@code octet tune}, {@code octet compile --tune N} and the
 * Java API's {@code CompileOptions.withTuningTrials} do it: the model's distinct workloads as tasks, each candidate
 * compiled, run in a worker process, verified and appended to the log; tasks one after another ({@code trials}
 * each) or, with {@code totalTrials}, by the {@link TaskScheduler}. How progress is shown is the caller's
 * ({@link Progress}): the command line draws bars, the API shows nothing.
 *
 * @param totalTrials null for {@code trials} per task
 * @param threads threads of the timed calls; 0 for the machine's cores
 * @param timeout seconds a worker may take before its candidate is recorded as a hang
 * @param taskFilter null for every task, else only the tasks whose key contains it
 * @param extraCandidates null for none (see {@link ExternalCandidates})
 * @param warmCaches time calls with the buffers left in the caches by the previous call (before: the harness
 *     flushes them, as a layer of a whole model finds its weights in memory)
 */
public record ModelTuning(String tuner, int trials, Integer totalTrials, long seed, int threads, long timeout,
        int repeats, String taskFilter, Path extraCandidates, boolean warmCaches) {
    /** octet tune's defaults (its options' default values), in one place for it, compile --tune and the API. */
    public static final String DEFAULT_TUNER = "xgb";
    public static final String DEFAULT_TIMEOUT_SECONDS = "30";
    public static final String DEFAULT_REPEATS = "10";
    public static final String DEFAULT_SEED = "1";

    /** The default tuner, scheduled over {@code totalTrials} in all, with octet tune's other defaults. */
    public static ModelTuning scheduled(int totalTrials, int threads) {
        return new ModelTuning(DEFAULT_TUNER, 1, totalTrials, Long.parseLong(DEFAULT_SEED), threads,
                Long.parseLong(DEFAULT_TIMEOUT_SECONDS), Integer.parseInt(DEFAULT_REPEATS), null, null, false);
    }

    public ModelTuning {
        if (!Tuner.NAMES.contains(tuner)) {
            throw new OctetException("--tuner '" + tuner + "' is not one of " + String.join(", ", Tuner.NAMES));
        }
        if (trials < 1 || repeats < 1 || repeats > 1000 || timeout < 1 || (totalTrials != null && totalTrials < 1)) {
            throw new OctetException(
                    "--trials, --total-trials, --repeats (at most 1000) and --timeout must be positive");
        }
    }

    /** What a run is told as it goes; every method does nothing unless overridden. */
    public interface Progress {
        /** Shows nothing. */
        Progress NONE = new Progress() {
        };

        /** Before the first candidate: the tasks that will be tuned. */
        default void started(List<TuningTask> tasks, Target target) {
        }

        /** Tasks one after another: task {@code index} (from 0) of {@code count} begins. */
        default void taskStarted(int index, int count, TuningTask task) {
        }

        /**
         * After each measured batch or scheduled round: the task it went to, trials spent (on the task one after
         * another, on the whole budget when scheduled) of {@code total}, and the task's best record so far (null
         * where none is verified yet).
         */
        default void progressed(int index, int count, TuningTask task, int spent, int total, TuningRecord best) {
        }

        /** Tasks one after another: task {@code index} is done. */
        default void taskEnded(int index, TuningTask task) {
        }

        /** After the last candidate, or after a failure that ends the run. */
        default void finished() {
        }
    }

    /** What a run measured, and the measurer (for a confirmation after it). */
    public record Outcome(List<TuningSession.Result> results, Measurer measurer, double seconds) {
        /** The use-weighted sum of the tasks' default and best times, in seconds: {before, after}. */
        public double[] weightedTotals() {
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

        /** Candidates measured, failures included. */
        public int measured() {
            return results.stream().mapToInt(TuningSession.Result::measured).sum();
        }

        /** Candidates that failed (wrong answer, crash, hang, compile error). */
        public int failed() {
            return results.stream().mapToInt(TuningSession.Result::failed).sum();
        }
    }

    /**
     * Tunes the kernels a model's build uses into {@code log} (appended to; its records count as tried).
     *
     * @param uses the build's kernels ({@code ModelCompiler.kernelUses}), at the ISA level of {@code target}
     * @param warnings where unreadable log lines are reported
     * @throws OctetException without a C compiler, or where no task matches
     */
    public Outcome run(List<KernelUse> uses, Target target, Path log, Progress progress, Consumer<String> warnings) {
        CCompiler cc = CCompiler.find();
        if (cc == null) {
            throw new OctetException("tuning needs a C compiler (looked for " + CCompiler.searched() + ")");
        }
        List<TuningTask> tasks = new ArrayList<>(Tasks.from(uses, target));
        if (taskFilter != null) {
            tasks.removeIf(t -> !t.key().contains(taskFilter));
        }
        if (tasks.isEmpty()) {
            throw new OctetException("no tunable kernels" + (taskFilter == null ? "" : " match --task " + taskFilter));
        }
        Map<String, List<Candidate>> extras = extraCandidates == null ? Map.of()
                : ExternalCandidates.load(extraCandidates, tasks);
        List<TuningRecord> history = Files.exists(log) ? TuningLog.read(log, warnings) : List.of();
        Measurer.Settings settings = new Measurer.Settings(2, repeats, 120, timeout,
                threads > 0 ? threads : Runtime.getRuntime().availableProcessors()).withCacheFlush(!warmCaches);
        Measurer measurer = new Measurer(cc, Measurer.defaultDir(), settings);
        warnOtherTiming(history, target, measurer.timing(), log, warnings);
        progress.started(List.copyOf(tasks), target);
        long start = System.nanoTime();
        List<TuningSession.Result> results = new ArrayList<>();
        try (TuningLog appender = TuningLog.append(log, warnings)) {
            TuningSession session = new TuningSession(measurer, appender, cc.version(), history,
                    settings.buildThreads() * 2);
            session.register(tasks);
            if (totalTrials == null) {
                tuneEach(session, tasks, extras, progress, results);
            } else {
                tuneScheduled(session, tasks, extras, settings.buildThreads() * 2, progress, results);
            }
        } finally {
            progress.finished();
        }
        return new Outcome(results, measurer, (System.nanoTime() - start) / 1e9);
    }

    /**
     * A log resumed with the other timing mode: its records of that mode are not comparable, so they count neither as
     * tried nor as best so far nor as training data, and builds prefer the flushed ones (see BestRecords).
     */
    private static void warnOtherTiming(List<TuningRecord> history, Target target, Timing timing, Path log,
            Consumer<String> warnings) {
        long other = history.stream().filter(r -> r.target().equals(target.key()) && r.timing() != timing).count();
        if (other > 0) {
            Timing them = timing == Timing.FLUSHED ? Timing.WARM : Timing.FLUSHED;
            warnings.accept(log + " holds " + other + " records for this target timed with " + them.describe()
                    + "; this session times with " + timing.describe() + ": they are compared separately (not "
                    + "resumed, not learned from), and builds take a workload's best among its flushed records where "
                    + "it has any");
        }
    }

    /** Round robin: each task in turn, {@code trials} each. */
    private void tuneEach(TuningSession session, List<TuningTask> tasks, Map<String, List<Candidate>> extras,
            Progress progress, List<TuningSession.Result> results) {
        for (int i = 0; i < tasks.size(); i++) {
            int index = i;
            TuningTask task = tasks.get(i);
            progress.taskStarted(i, tasks.size(), task);
            results.add(session.tune(task, tuner, trials, seed, extras.getOrDefault(task.key(), List.of()),
                    (t, done, total, best) -> progress.progressed(index, tasks.size(), t, done, total, best)));
            progress.taskEnded(i, task);
        }
    }

    /** {@code totalTrials}: the scheduler spends the budget where the best improves most. */
    private void tuneScheduled(TuningSession session, List<TuningTask> tasks, Map<String, List<Candidate>> extras,
            int round, Progress progress, List<TuningSession.Result> results) {
        List<TaskRun> runs = new ArrayList<>();
        for (TuningTask t : tasks) {
            runs.add(session.open(t, tuner, seed, extras.getOrDefault(t.key(), List.of())));
        }
        TaskScheduler.run(runs, totalTrials, round, (current, spent, total) -> {
            TaskRun r = (TaskRun) current;
            progress.progressed(runs.indexOf(r), runs.size(), r.task(), spent, total, r.best());
        });
        runs.forEach(r -> results.add(r.result()));
    }
}
