package dev.octet.tune;

import dev.octet.kernel.Config;
import dev.octet.kernel.ConfigChooser;
import dev.octet.kernel.IsaLevel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A build's configuration chooser from a tuning log: for each workload, the best verified record made on this
 * target, if its configuration is a point of a template still valid for the workload; else the defaults. Records of
 * another target, records with any error (wrong answers above all) and external kernels are never applied.
 * <ul>
 * <li>Times of different {@link Timing} modes are never compared: the best is taken among the flushed records where
 * any of them is valid for the request, else among the warm ones.
 * <li>Where the log holds a {@link ConfirmationRecord} of exactly that best (workload, target, timing and
 * configuration), the latest one decides: the best is applied only where its gain was significant, else the
 * template default is kept. Without a confirmation (logs of {@code --confirm 0}) the best is applied.
 * </ul>
 */
public final class TunedConfigs implements ConfigChooser {
    /** Per workload, this target's usable template records per timing mode, fastest first. */
    private final Map<String, Map<Timing, List<TuningRecord>>> ranked = new HashMap<>();
    /** Per workload, this target's confirmations in log order. */
    private final Map<String, List<ConfirmationRecord>> confirmations = new HashMap<>();
    private int applied;
    private int refuted;

    /** A chooser from measurements alone (every best applied as measured). */
    public TunedConfigs(Collection<TuningRecord> records, Target target) {
        this(records, List.of(), target);
    }

    public TunedConfigs(Collection<TuningRecord> records, Collection<ConfirmationRecord> confirmed, Target target) {
        for (TuningRecord r : records) {
            if (r.usable() && r.target().equals(target.key()) && r.origin().equals("template")) {
                ranked.computeIfAbsent(r.workload(), k -> new EnumMap<>(Timing.class))
                        .computeIfAbsent(r.timing(), t -> new ArrayList<>()).add(r);
            }
        }
        ranked.values().forEach(m -> m.values().forEach(l -> l.sort(BestRecords.ORDER)));
        for (ConfirmationRecord c : confirmed) {
            if (c.target().equals(target.key())) {
                confirmations.computeIfAbsent(c.workload(), k -> new ArrayList<>()).add(c);
            }
        }
    }

    /** The chooser for a log file, on the current target at the default ISA level. */
    public static TunedConfigs load(Path log, Consumer<String> warnings) {
        TuningLog.Contents c = TuningLog.load(log, warnings);
        return new TunedConfigs(c.records(), c.confirmations(), Target.current());
    }

    /** The chooser for a log file, for code built at {@code level} on this machine. */
    public static TunedConfigs load(Path log, Consumer<String> warnings, IsaLevel level) {
        TuningLog.Contents c = TuningLog.load(log, warnings);
        return new TunedConfigs(c.records(), c.confirmations(), Target.current(level));
    }

    @Override
    public synchronized Config choose(Request request) {
        TuningRecord best = best(request);
        if (best == null) {
            return request.defaults();
        }
        ConfirmationRecord c = latestConfirmation(best);
        if (c != null && c.verdict() != ConfirmationRecord.Verdict.SIGNIFICANT
                && !best.config().equals(request.defaults())) {
            refuted++;
            return request.defaults();
        }
        applied++;
        return best.config();
    }

    /** The fastest record valid for the request, flushed records first; null if none. */
    private TuningRecord best(Request request) {
        Map<Timing, List<TuningRecord>> byTiming = ranked.getOrDefault(request.key(), Map.of());
        for (Timing t : List.of(Timing.FLUSHED, Timing.WARM)) {
            for (TuningRecord r : byTiming.getOrDefault(t, List.of())) {
                if (request.admits(r.config())) {
                    return r;
                }
            }
        }
        return null;
    }

    /** The last confirmation in the log of exactly this record's best, or null. */
    private ConfirmationRecord latestConfirmation(TuningRecord best) {
        ConfirmationRecord latest = null;
        for (ConfirmationRecord c : confirmations.getOrDefault(best.workload(), List.of())) {
            if (c.confirms(best)) {
                latest = c;
            }
        }
        return latest;
    }

    /** How many choices a tuned record has made so far. */
    public synchronized int applied() {
        return applied;
    }

    /** How many choices kept the default because the best's latest confirmation found no significant gain. */
    public synchronized int refuted() {
        return refuted;
    }
}
