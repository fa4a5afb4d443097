package dev.octet.cli;

import dev.octet.build.ModelCompiler;
import dev.octet.ir.Model;
import dev.octet.tune.ModelTuning;
import dev.octet.tune.Target;
import dev.octet.tune.TuningRecord;
import dev.octet.tune.TuningTask;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import me.tongfei.progressbar.ProgressBar;

/**
 * {@link ModelTuning} as {@code octet tune} and {@code octet compile --tune N} show it: a heading line, then a
 * progress bar per task (tasks one after another) or one bar over the whole budget (scheduled).
 */
record KernelTuning(ModelTuning tuning) {
    /** octet tune's defaults (its options' default values), in one place for them and for compile --tune. */
    static final String DEFAULT_TUNER = ModelTuning.DEFAULT_TUNER;
    static final String DEFAULT_TIMEOUT_SECONDS = ModelTuning.DEFAULT_TIMEOUT_SECONDS;
    static final String DEFAULT_REPEATS = ModelTuning.DEFAULT_REPEATS;
    static final String DEFAULT_SEED = ModelTuning.DEFAULT_SEED;

    KernelTuning(String tuner, int trials, Integer totalTrials, long seed, int threads, long timeout, int repeats,
            String taskFilter, Path extraCandidates, boolean warmCaches) {
        this(new ModelTuning(tuner, trials, totalTrials, seed, threads, timeout, repeats, taskFilter, extraCandidates,
                warmCaches));
    }

    /** compile --tune N: the default tuner, scheduled over N trials in all, with octet tune's other defaults. */
    static KernelTuning scheduled(int totalTrials) {
        return new KernelTuning(ModelTuning.scheduled(totalTrials, 0));
    }

    /**
     * Tunes {@code m}'s kernels into {@code log} (appended to; its records count as tried).
     *
     * @param name the model as the heading line names it ("tuning  N tasks of NAME, ...")
     * @throws dev.octet.ir.OctetException without a C compiler, or where no task matches
     */
    ModelTuning.Outcome run(Model m, String name, Path log, PrintWriter out, PrintWriter err) {
        return tuning.run(ModelCompiler.kernelUses(m.graph()), Target.current(), log, new Bars(name, out, err),
                w -> err.println("octet: warning: " + w));
    }

    /** The heading and the bars. */
    private final class Bars implements ModelTuning.Progress {
        private final String name;
        private final PrintWriter out;
        private final PrintWriter err;
        private ProgressBar bar;

        Bars(String name, PrintWriter out, PrintWriter err) {
            this.name = name;
            this.out = out;
            this.err = err;
        }

        @Override
        public void started(List<TuningTask> tasks, Target target) {
            Integer total = tuning.totalTrials();
            out.println("tuning  " + tasks.size() + " tasks of " + name + ", " + (total == null
                    ? tuning.trials() + " trials each" : total + " trials in all, scheduled") + " (" + tuning.tuner()
                    + "), target " + target);
            out.flush();
            if (total != null) {
                bar = bar("[" + tasks.size() + " tasks]", total, 130);
            }
        }

        @Override
        public void taskStarted(int index, int count, TuningTask task) {
            bar = bar("[" + (index + 1) + "/" + count + "]", tuning.trials(), 100);
            bar.setExtraMessage(task.key());
        }

        @Override
        public void progressed(int index, int count, TuningTask task, int spent, int total, TuningRecord best) {
            bar.stepTo(spent);
            if (tuning.totalTrials() == null) {
                bar.setExtraMessage(best == null ? "no verified candidate yet"
                        : String.format("best %.3f ms", best.minSeconds() * 1e3));
                return;
            }
            String key = task.key();
            bar.setExtraMessage(String.format("[%d/%d] %s %s", index + 1, count, best == null
                    ? "no verified candidate" : String.format("best %.3f ms", best.minSeconds() * 1e3),
                    key.length() > 32 ? key.substring(0, 30) + ".." : key));
        }

        @Override
        public void taskEnded(int index, TuningTask task) {
            finished();
        }

        @Override
        public void finished() {
            bar = ConsoleBars.end(bar, err);
        }

        private ProgressBar bar(String title, long max, int width) {
            return ConsoleBars.ascii(err, title, max, width);
        }
    }
}
