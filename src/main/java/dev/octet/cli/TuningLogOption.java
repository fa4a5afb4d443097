package dev.octet.cli;

import dev.octet.CompileOptions;
import dev.octet.tune.TunedConfigs;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --tuning-log FILE} option of commands that compile a model: builds use the log's best records. */
final class TuningLogOption {
    @Option(names = "--tuning-log", paramLabel = "FILE",
            description = "A tuning log (octet tune): each kernel uses the fastest verified configuration measured "
                    + "on this CPU and ISA level (among cache-flushed times where the log has them, else warm ones), "
                    + "unless the log's latest confirmation of it found no gain beyond the noise; kernels without "
                    + "one use the defaults.")
    Path tuningLog;

    private TunedConfigs chooser;

    /** The options with the log's chooser, or unchanged without a log; warnings (a torn last line) go to err. */
    CompileOptions apply(CompileOptions options, PrintWriter err) {
        if (tuningLog == null) {
            return options;
        }
        chooser = TunedConfigs.load(tuningLog, w -> err.println("octet: warning: " + w), options.isaLevel());
        return options.withConfigs(chooser);
    }

    /** "tuned   N kernels from FILE", or null without a log. */
    String summary() {
        if (chooser == null) {
            return null;
        }
        return "tuned   " + chooser.applied() + " kernels from " + tuningLog + (chooser.refuted() == 0 ? ""
                : " (" + chooser.refuted() + " kept the default: their confirmation found no significant gain)");
    }
}
