package dev.octet.tune;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Spends a total trial budget over the tasks of a model where the model's end-to-end latency should gain most,
 * after Ansor's gradient-based task scheduler. Every task first gets one round (so each has a best time); then each
 * round goes to the task with the largest estimated gain per trial of the weighted total
 * {@code sum(uses_i * best_i)}:
 * <pre>
 *   gain_i = uses_i * (ALPHA * backward_i + (1 - ALPHA) * best_i / trials_i)
 * </pre>
 * where {@code backward_i} is how much task i's best time fell per trial in its last round (recent improvement)
 * and {@code best_i / trials_i} the optimistic forward estimate (the time still to win, spread over the trials spent
 * so far). A task used five times in the model, or five times slower, earns five times the trials for the same
 * progress; a task whose best has stopped moving decays. Exhausted tasks drop out.
 */
final class TaskScheduler {
    /** Weight of recent improvement against the forward estimate (Ansor's alpha). */
    static final double ALPHA = 0.2;

    /** What the scheduler needs of a task being tuned ({@link TaskRun} in a session; fakes in tests). */
    public interface Schedulable {
        TuningTask task();

        /** Measures up to n more candidates; returns how many were measured. */
        int measure(int n);

        /** Whether the task's space (or its tuner) has nothing left to propose. */
        boolean exhausted();

        /** Candidates measured so far by this run. */
        int measured();

        /** The best verified time so far, NaN if none. */
        double bestSeconds();
    }

    /** Called after each round. */
    @FunctionalInterface
    public interface Listener {
        void progress(Schedulable current, int spent, int total);
    }

    private TaskScheduler() {
    }

    /**
     * Spends up to {@code total} trials in rounds of {@code round}.
     *
     * @return the trials spent (less than total only when every task is exhausted)
     */
    public static int run(List<? extends Schedulable> tasks, int total, int round, Listener listener) {
        Map<Schedulable, double[]> last = new HashMap<>(); // {best before the last round, trials in it}
        int spent = 0;
        for (Schedulable t : tasks) {
            if (spent >= total) {
                return spent;
            }
            spent += step(t, Math.min(round, total - spent), last);
            report(listener, t, spent, total);
        }
        while (spent < total) {
            Schedulable pick = null;
            double bestGain = Double.NEGATIVE_INFINITY;
            double fallback = tasks.stream().mapToDouble(Schedulable::bestSeconds).filter(Double::isFinite).max()
                    .orElse(1);
            for (Schedulable t : tasks) {
                if (t.exhausted() || last.get(t)[1] == 0) { // measured nothing last time: nothing left
                    continue;
                }
                double g = gain(t, last.get(t), fallback);
                if (g > bestGain) {
                    bestGain = g;
                    pick = t;
                }
            }
            if (pick == null) {
                break;
            }
            spent += step(pick, Math.min(round, total - spent), last);
            report(listener, pick, spent, total);
        }
        return spent;
    }

    /** The estimated fall of the weighted total latency per trial given to t. */
    static double gain(Schedulable t, double[] last, double fallback) {
        double best = Double.isFinite(t.bestSeconds()) ? t.bestSeconds() : fallback;
        double backward = 0;
        if (last != null && Double.isFinite(last[0]) && last[1] > 0) {
            backward = Math.max(0, last[0] - best) / last[1];
        }
        double forward = best / Math.max(1, t.measured());
        return t.task().uses() * (ALPHA * backward + (1 - ALPHA) * forward);
    }

    private static int step(Schedulable t, int n, Map<Schedulable, double[]> last) {
        double before = t.bestSeconds();
        int done = t.measure(n);
        last.put(t, new double[] {before, done});
        return done;
    }

    private static void report(Listener listener, Schedulable t, int spent, int total) {
        if (listener != null) {
            listener.progress(t, spent, total);
        }
    }
}
