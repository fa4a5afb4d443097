package dev.octet.tune;

import dev.octet.kernel.Config;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Tunes tasks one after another: the default configuration first (the baseline every result is compared with),
 * then the tuner's proposals, in batches that are compiled together and measured one by one. Every measurement is
 * appended to the log before the next batch starts. Records already in the log for a task and target count as
 * tried, so a resumed session goes on where the last one stopped.
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

    /**
     * @param history the log's records so far (for resuming and for best-so-far)
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
     * Measures up to {@code trials} new candidates of a task: the default configuration where the log has none,
     * the tuner's proposals, and the given extra candidates (external kernels claiming this task).
     */
    public Result tune(TuningTask task, String tunerName, int trials, long seed, List<Candidate> extras,
            Listener listener) {
        Set<Config> tried = new HashSet<>();
        List<TuningRecord> mine = new ArrayList<>();
        for (TuningRecord r : history) {
            if (r.workload().equals(task.key()) && r.target().equals(task.target().key())) {
                tried.add(r.config());
                mine.add(r);
            }
        }
        Tuner tuner = Tuner.create(tunerName, task, tried, seed);
        List<Candidate> queue = new ArrayList<>();
        if (!tried.contains(task.defaults())) {
            queue.add(Candidate.template(task.problem(), task.defaults()));
            tried.add(task.defaults());
        }
        for (Candidate c : extras) {
            if (!tried.contains(c.config())) {
                queue.add(c);
            }
        }
        int measured = 0;
        int failed = 0;
        while (measured < trials) {
            while (queue.size() < Math.min(batch, trials - measured)) {
                List<Config> more = tuner.next(Math.min(batch, trials - measured) - queue.size());
                more = more.stream().filter(tried::add).toList();
                if (more.isEmpty()) {
                    break;
                }
                more.forEach(c -> queue.add(Candidate.template(task.problem(), c)));
            }
            if (queue.isEmpty()) {
                break;
            }
            List<Candidate> now = new ArrayList<>(queue.subList(0, Math.min(queue.size(), trials - measured)));
            queue.subList(0, now.size()).clear();
            List<Measurement> ms = measurer.measure(task.problem(), now);
            for (Measurement m : ms) {
                TuningRecord r = TuningRecord.of(task, m, ccVersion);
                log.write(r);
                history.add(r);
                mine.add(r);
                measured++;
                failed += m.ok() ? 0 : 1;
            }
            tuner.update(ms);
            if (listener != null) {
                listener.progress(task, measured, trials, best(mine));
            }
        }
        TuningRecord baseline = mine.stream().filter(r -> r.config().equals(task.defaults())).findFirst().orElse(null);
        return new Result(task, baseline, best(mine), measured, failed);
    }

    private static TuningRecord best(List<TuningRecord> records) {
        List<TuningRecord> b = BestRecords.list(records);
        return b.isEmpty() ? null : b.get(0);
    }
}
