package dev.octet.tune;

import dev.octet.kernel.Config;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One task being tuned, across any number of measuring calls: its tuner (which keeps what it learned between
 * calls), what was tried, and its records. A session tunes a task in one call; the {@link TaskScheduler} comes
 * back to the same run for as many rounds as it grants it. The default configuration is measured first (the
 * baseline every result is compared with), then the extra candidates, then the tuner's proposals.
 */
final class TaskRun implements TaskScheduler.Schedulable {
    private final TuningSession session;
    private final TuningTask task;
    private final Tuner tuner;
    private final Set<Config> tried = new HashSet<>();
    private final List<TuningRecord> mine = new ArrayList<>();
    private final List<Candidate> queue = new ArrayList<>();
    private int measured;
    private int failed;
    private boolean exhausted;

    TaskRun(TuningSession session, TuningTask task, Tuner tuner, List<TuningRecord> history, List<Candidate> extras) {
        this.session = session;
        this.task = task;
        this.tuner = tuner;
        for (TuningRecord r : history) {
            if (r.workload().equals(task.key()) && r.target().equals(task.target().key())) {
                tried.add(r.config());
                mine.add(r);
            }
        }
        if (tried.add(task.defaults())) {
            queue.add(Candidate.template(task.problem(), task.defaults()));
        }
        for (Candidate c : extras) {
            if (tried.add(c.config())) {
                queue.add(c);
            }
        }
    }

    @Override
    public TuningTask task() {
        return task;
    }

    /**
     * Measures up to {@code trials} more candidates in batches, logging each, calling the listener after each batch
     * with the count measured in this call.
     *
     * @return how many were measured (fewer than asked once the space is exhausted)
     */
    public int measure(int trials, TuningSession.Listener listener) {
        int done = 0;
        while (done < trials) {
            int want = Math.min(session.batch(), trials - done);
            while (queue.size() < want) {
                List<Config> more = tuner.next(want - queue.size()).stream().filter(tried::add).toList();
                if (more.isEmpty()) {
                    break;
                }
                more.forEach(c -> queue.add(Candidate.template(task.problem(), c)));
            }
            if (queue.isEmpty()) {
                exhausted = true;
                break;
            }
            List<Candidate> now = new ArrayList<>(queue.subList(0, Math.min(queue.size(), want)));
            queue.subList(0, now.size()).clear();
            List<Measurement> ms = session.measureAndLog(task, now, mine);
            for (Measurement m : ms) {
                failed += m.ok() ? 0 : 1;
            }
            done += ms.size();
            measured += ms.size();
            tuner.update(ms);
            if (listener != null) {
                listener.progress(task, done, trials, best());
            }
        }
        return done;
    }

    @Override
    public int measure(int trials) {
        return measure(trials, null);
    }

    @Override
    public boolean exhausted() {
        return exhausted;
    }

    @Override
    public int measured() {
        return measured;
    }

    /** The best verified record so far (from the log or this run), or null. */
    public TuningRecord best() {
        List<TuningRecord> b = BestRecords.list(mine);
        return b.isEmpty() ? null : b.get(0);
    }

    @Override
    public double bestSeconds() {
        TuningRecord b = best();
        return b == null ? Double.NaN : b.minSeconds();
    }

    /** The outcome so far: baseline, best and counts of this run. */
    public TuningSession.Result result() {
        TuningRecord baseline = mine.stream().filter(r -> r.config().equals(task.defaults())).findFirst().orElse(null);
        return new TuningSession.Result(task, baseline, best(), measured, failed);
    }
}
