package dev.octet.tune;

import java.util.ArrayList;
import java.util.List;

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

    private Confirmations() {
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
