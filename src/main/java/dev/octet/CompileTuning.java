package dev.octet;

import dev.octet.build.ModelCompiler;
import dev.octet.ir.Graph;
import dev.octet.ir.OctetException;
import dev.octet.kernel.IsaLevel;
import dev.octet.tune.Confirmations;
import dev.octet.tune.ModelTuning;
import dev.octet.tune.Target;
import dev.octet.tune.TunedConfigs;
import java.util.function.Consumer;

/**
 * The tuning part of {@link Octet#compile}: a trial budget is spent on the model's kernels first (the tuning that
 * {@code octet compile --tune N} runs, without its progress bars, its bests confirmed against the defaults as
 * there), then the tuning log's best records become the build's configuration chooser.
 */
final class CompileTuning {
    private static final Consumer<String> WARNINGS = w -> System.err.println("octet: warning: " + w);

    private CompileTuning() {
    }

    /** {@code options} with its tuning done and applied: the tuning log's chooser as {@code configs}. */
    static CompileOptions apply(Graph graph, CompileOptions options) {
        if (options.tuningTrials() > 0) {
            if (options.tuningLog() == null) {
                throw new OctetException("CompileOptions.withTuningTrials(" + options.tuningTrials() + ") needs "
                        + "withTuningLog(FILE): the file the tuning records go to");
            }
            if (options.backend() == CompileOptions.Backend.JVM
                    || options.backend() == CompileOptions.Backend.REFERENCE) {
                throw new OctetException("tuning measures native kernels; the backend " + options.backend()
                        + " has none");
            }
            IsaLevel level = options.isaLevel();
            ModelTuning.Outcome outcome = ModelTuning.scheduled(options.tuningTrials(), options.threads()).run(
                    ModelCompiler.kernelUses(graph, level), Target.current(level), options.tuningLog(),
                    ModelTuning.Progress.NONE, WARNINGS);
            Confirmations.afterTuning(outcome, options.tuningLog(), WARNINGS);
        }
        if (options.tuningLog() == null) {
            return options;
        }
        return options.withConfigs(TunedConfigs.load(options.tuningLog(), WARNINGS, options.isaLevel()));
    }
}
