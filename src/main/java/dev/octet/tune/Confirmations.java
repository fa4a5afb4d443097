package dev.octet.tune;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The second look after a tuning run, shared by {@code octet tune --confirm R} and {@code octet compile --tune N}:
 * for each task whose best differs from the template default, the two are re-measured alternately
 * ({@link Confirmation}) and the verdict is appended to the log, where it decides what a build applies
 * ({@link TunedConfigs}: a best only where its latest confirmation was significant).
 */
public final class Confirmations {
    /**
     * One task's outcome.
     *
     * @param record the recorded confirmation, or null where the default is the best (nothing to confirm)
     */
    public record Checked(TuningTask task, ConfirmationRecord record) {
    }

    /**
     * Rounds per side: {@code octet tune}'s default {@code --confirm}, and what a build that tunes first
     * ({@code compile --tune}, the API's tuning budget) uses.
     */
    public static final int DEFAULT_ROUNDS = 3;

    private Confirmations() {
    }

    /**
     * Confirms a finished tuning run's bests, {@link #DEFAULT_ROUNDS} each, into its log: what every build that
     * tunes first does, so that it applies only the bests that beat their default by more than the noise.
     */
    public static List<Checked> afterTuning(ModelTuning.Outcome outcome, Path log, Consumer<String> warnings) {
        try (TuningLog appender = TuningLog.append(log, warnings)) {
            return run(outcome.measurer(), outcome.results(), DEFAULT_ROUNDS, appender);
        }
    }

    /**
     * How many of the checked bests a build applies (their gain was significant) and how many keep their default
     * (the gain was within the noise).
     */
    public record Verdicts(long significant, long withinNoise) {
        public static Verdicts of(List<Checked> checked) {
            long significant = checked.stream().filter(c -> c.record() != null
                    && c.record().verdict() == ConfirmationRecord.Verdict.SIGNIFICANT).count();
            return new Verdicts(significant, checked.stream().filter(c -> c.record() != null).count() - significant);
        }
    }

    /** Confirms each result's best against its default with {@code rounds} rounds each; verdicts go to the log. */
    public static List<Checked> run(Measurer measurer, List<TuningSession.Result> results, int rounds,
            TuningLog appender) {
        List<Checked> checked = new ArrayList<>();
        for (TuningSession.Result r : results) {
            if (r.best() == null || r.baseline() == null || !r.baseline().usable()
                    || r.best().config().equals(r.baseline().config()) || !r.best().origin().equals("template")) {
                checked.add(new Checked(r.task(), null));
                continue;
            }
            Confirmation c = Confirmation.of(measurer, r.task().problem(), r.baseline().config(), r.best().config(),
                    rounds);
            ConfirmationRecord record = ConfirmationRecord.of(r.task(), r.baseline().config(), r.best().config(), c,
                    rounds, measurer.timing(), r.best().ccVersion());
            appender.write(record);
            checked.add(new Checked(r.task(), record));
        }
        return checked;
    }
}
