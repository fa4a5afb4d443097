package dev.octet.cli;

import dev.octet.ir.OctetException;
import dev.octet.tune.BestRecords;
import dev.octet.tune.ConfirmationRecord;
import dev.octet.tune.Timing;
import dev.octet.tune.TuningLog;
import dev.octet.tune.TuningRecord;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

    /** Keeps the best verified record per workload and target, with its latest confirmation. */
    @Command(name = "best", mixinStandardHelpOptions = true,
            description = {"Writes the fastest verified record per workload and target of a log to a new log. "
                    + "Records with an error (wrong answer, crash, timeout, ...) are never kept.",
                    "Times taken with caches flushed and with caches warm (tune --warm-caches) are never compared: "
                    + "where a workload has both, the best is taken among the flushed ones.",
                    "The latest confirmation (tune --confirm) of each kept best is kept with it and printed: a "
                    + "build applies a best whose confirmation found no significant gain as the default."})
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
            TuningLog.Contents contents = TuningLog.load(in, w -> err.println("octet: warning: " + w));
            List<TuningRecord> records = contents.records();
            List<TuningRecord> best = BestRecords.list(records);
            List<ConfirmationRecord> confirmations = new ArrayList<>();
            for (TuningRecord b : best) {
                ConfirmationRecord latest = null;
                for (ConfirmationRecord c : contents.confirmations()) {
                    latest = c.confirms(b) ? c : latest;
                }
                if (latest != null) {
                    confirmations.add(latest);
                }
            }
            // Written beside OUT and moved into place: OUT is never half-written.
            Path temp = output.resolveSibling(output.getFileName() + ".partial");
            try {
                Files.deleteIfExists(temp);
                try (TuningLog log = TuningLog.append(temp, w -> { })) {
                    best.forEach(log::write);
                    confirmations.forEach(log::write);
                }
                Files.move(temp, output, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new OctetException("cannot write " + output + ": " + e.getMessage());
            }
            out.println("kept    " + best.size() + " best records of " + records.size() + " (" + records.stream()
                    .filter(r -> !r.usable()).count() + " with errors, never kept) in " + output);
            printTimings(out, BestRecords.timings(records));
            for (TuningRecord b : best) {
                ConfirmationRecord c = confirmations.stream().filter(x -> x.confirms(b)).findFirst().orElse(null);
                out.println("  " + b.workload() + " (" + b.timing().key() + "): " + (c == null
                        ? "not confirmed: applied as measured" : c.describe()));
            }
            return 0;
        }

        /** How many workloads were chosen among which timing mode. */
        private static void printTimings(PrintWriter out, Map<String, Set<Timing>> timings) {
            long both = timings.values().stream().filter(t -> t.size() > 1).count();
            long flushed = timings.values().stream().filter(t -> t.contains(Timing.FLUSHED)).count();
            out.println("timing  " + flushed + " best among cache-flushed times, " + (timings.size() - flushed)
                    + " among warm-cache times (never compared with each other)" + (both == 0 ? "" : "; " + both
                    + " workloads had both: their warm records were left out"));
        }
    }
}
