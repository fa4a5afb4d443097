package dev.octet.cli;

import dev.octet.ir.OctetException;
import dev.octet.tune.BestRecords;
import dev.octet.tune.TuningLog;
import dev.octet.tune.TuningRecord;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** `octet log best IN -o OUT`: tools for tuning logs. */
@Command(name = "log", mixinStandardHelpOptions = true, description = "Tools for tuning logs (octet tune).",
        subcommands = {LogCommand.Best.class})
final class LogCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }

    /** Keeps the best verified record per workload and target. */
    @Command(name = "best", mixinStandardHelpOptions = true,
            description = "Writes the fastest verified record per workload and target of a log to a new log. "
                    + "Records with an error (wrong answer, crash, timeout, ...) are never kept.")
    static final class Best implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "IN", description = "A tuning log.")
        Path in;

        @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT", description = "The log to write.")
        Path output;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            List<TuningRecord> records = TuningLog.read(in, w -> err.println("octet: warning: " + w));
            List<TuningRecord> best = BestRecords.list(records);
            // Written beside OUT and moved into place: OUT is never half-written.
            Path temp = output.resolveSibling(output.getFileName() + ".partial");
            try {
                Files.deleteIfExists(temp);
                try (TuningLog log = TuningLog.append(temp, w -> { })) {
                    best.forEach(log::write);
                }
                Files.move(temp, output, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new OctetException("cannot write " + output + ": " + e.getMessage());
            }
            out.println("kept    " + best.size() + " best records of " + records.size() + " (" + records.stream()
                    .filter(r -> !r.usable()).count() + " with errors, never kept) in " + output);
            return 0;
        }
    }
}
