package dev.octet.tune;

import dev.octet.kernel.Config;
import dev.octet.kernel.ConfigChooser;
import dev.octet.kernel.IsaLevel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A build's configuration chooser from a tuning log: for each workload, the best verified record made on this
 * target, if its configuration is a point of a template still valid for the workload; else the defaults. Records of
 * another target, records with any error (wrong answers above all) and external kernels are never applied.
 */
public final class TunedConfigs implements ConfigChooser {
    /** Per workload, this target's usable template records, fastest first. */
    private final Map<String, List<TuningRecord>> ranked = new HashMap<>();
    private int applied;

    /** The chooser of {@code records} made on {@code target} (see the class comment for which are applied). */
    public TunedConfigs(Collection<TuningRecord> records, Target target) {
        for (TuningRecord r : records) {
            if (r.usable() && r.target().equals(target.key()) && r.origin().equals("template")) {
                ranked.computeIfAbsent(r.workload(), k -> new ArrayList<>()).add(r);
            }
        }
        ranked.values().forEach(l -> l.sort(BestRecords.ORDER));
    }

    /** The chooser for a log file, on the current target at the default ISA level. */
    public static TunedConfigs load(Path log, Consumer<String> warnings) {
        return new TunedConfigs(TuningLog.read(log, warnings), Target.current());
    }

    /** The chooser for a log file, for code built at {@code level} on this machine. */
    public static TunedConfigs load(Path log, Consumer<String> warnings, IsaLevel level) {
        return new TunedConfigs(TuningLog.read(log, warnings), Target.current(level));
    }

    @Override
    public synchronized Config choose(Request request) {
        for (TuningRecord r : ranked.getOrDefault(request.key(), List.of())) {
            if (request.admits(r.config())) {
                applied++;
                return r.config();
            }
        }
        return request.defaults();
    }

    /** How many choices a tuned record has made so far. */
    public synchronized int applied() {
        return applied;
    }
}
