package dev.octet.cli;

import dev.octet.CompileOptions;
import dev.octet.codegen.c.CCompiler;
import dev.octet.data.ModelFamily;
import dev.octet.ir.Model;
import dev.octet.ir.OctetException;
import dev.octet.tune.ConfirmationRecord;
import dev.octet.tune.ModelConfirmation;
import dev.octet.tune.TunedConfigs;
import dev.octet.tune.TuningLog;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

/**
 * The commands' step after tuning ({@code tune}, {@code compile --tune}): the log's choices confirmed inside the
 * whole model on one thread ({@link ModelConfirmation}), on the input the model's family suggests, each verdict
 * appended to the log, where it decides what builds apply.
 */
final class InModelConfirmation {
    /** Rounds of both builds by default: enough for the paired noise, a few seconds for ResNet-50. */
    static final int DEFAULT_ROUNDS = 20;

    private InModelConfirmation() {
    }

    /** The verdicts appended to {@code log}; none, with a warning on err, where the model cannot be run. */
    static List<ConfirmationRecord> run(Model m, Path log, int rounds, PrintWriter err) {
        TunedConfigs tuned = TunedConfigs.load(log, w -> err.println("octet: warning: " + w));
        CCompiler cc = CCompiler.find();
        List<ConfirmationRecord> records;
        try {
            records = ModelConfirmation.run(m, ModelInputs.build(m, ModelFamily.of(m), new InputOptions()).tensors(),
                    CompileOptions.defaults().withThreads(1), tuned, rounds, cc == null ? "" : cc.version());
        } catch (OctetException e) { // e.g. no input this model can be run on: the tuning still stands
            err.println("octet: warning: the in-model confirmation was skipped: " + e.getMessage());
            return List.of();
        }
        try (TuningLog appender = TuningLog.append(log, w -> err.println("octet: warning: " + w))) {
            records.forEach(appender::write);
        }
        return records;
    }
}
