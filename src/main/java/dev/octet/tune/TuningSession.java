package dev.octet.tune;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Measures the tasks of a model into one log: candidates in batches that are compiled together and measured one by
 * one, every measurement appended to the log before the next batch starts. Records already in the log for a task
 * and target count as tried, so a resumed session goes on where the last one stopped; records of other workloads
 * on the same target are what a learned tuner pre-trains on; only records of the session's {@link Timing} count.
 * {@link #tune} spends a fixed number of trials on one task; {@link #open} hands out a {@link TaskRun} that a
 * {@link TaskScheduler} can return to.
 */
public final class TuningSession {
    /** Called after each measured batch. */
    @FunctionalInterface
    public interface Listener {
        void progress(TuningTask task, int done, int total, TuningRecord best);
    }

    /** A task's outcome: the baseline (default config) record, the best record (null if none verified), counts. */
    public record Result(TuningTask task, TuningRecord baseline, TuningRecord best, int measured, int failed) {
    }

    private final Measurer measurer;
    private final TuningLog log;
    private final String ccVersion;
    private final List<TuningRecord> history;
    private final int batch;
    private final Map<String, Problem> problems = new HashMap<>();

    /**
     * @param history the log's records so far (for resuming, best-so-far and transfer)
     * @param batch candidates compiled together before they are measured
     */
    public TuningSession(Measurer measurer, TuningLog log, String ccVersion, List<TuningRecord> history, int batch) {
        this.measurer = measurer;
        this.log = log;
        this.ccVersion = ccVersion;
        this.history = new ArrayList<>(history);
        this.batch = Math.max(1, batch);
    }

    /**
     * Starts tuning a task: its tuner sees every record logged so far (this session's included).
     *
     * @param extras external kernels claiming this task, measured right after the default
     * @throws IllegalArgumentException for an unknown tuner name
     */
    TaskRun open(TuningTask task, String tunerName, long seed, List<Candidate> extras) {
        register(List.of(task));
        List<TuningRecord> comparable = sameTiming(history, measurer.timing());
        return new TaskRun(this, task, Tuner.create(tunerName, task, comparable, seed, problems::get), comparable,
                extras);
    }

    /**
     * Makes tasks known before they are opened: the cost model builds the loop nests of their logged
     * configurations when it pre-trains another task on them.
     */
    void register(Collection<TuningTask> tasks) {
        tasks.forEach(t -> problems.putIfAbsent(t.key(), t.problem()));
    }

    /**
     * The records timed like this session's: only they count as tried, as best so far and as training data. A log
     * resumed with the other mode is tuned again from scratch in this mode (its times are not comparable).
     */
    static List<TuningRecord> sameTiming(List<TuningRecord> records, Timing timing) {
        return records.stream().filter(r -> r.timing() == timing).toList();
    }

    /** The timing mode of this session's records. */
    public Timing timing() {
        return measurer.timing();
    }

    /**
     * Measures up to {@code trials} new candidates of a task: the default configuration where the log has none,
     * the given extra candidates (external kernels claiming this task), and the tuner's proposals.
     */
    Result tune(TuningTask task, String tunerName, int trials, long seed, List<Candidate> extras,
            Listener listener) {
        TaskRun run = open(task, tunerName, seed, extras);
        run.measure(trials, listener);
        return run.result();
    }

    int batch() {
        return batch;
    }

    /** Measures candidates of a task and appends each outcome to the log, the history and {@code into}. */
    List<Measurement> measureAndLog(TuningTask task, List<Candidate> candidates, List<TuningRecord> into) {
        List<Measurement> ms = measurer.measure(task.problem(), candidates);
        for (Measurement m : ms) {
            TuningRecord r = TuningRecord.of(task, m, ccVersion, measurer.timing());
            log.write(r);
            history.add(r);
            into.add(r);
        }
        return ms;
    }
}
