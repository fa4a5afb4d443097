package dev.octet.cli;

import dev.octet.CompileOptions;
import dev.octet.bundle.Bundle;
import dev.octet.ir.OctetException;
import dev.octet.quant.QuantizationReport;
import dev.octet.report.CompileReport;
import dev.octet.runtime.CompiledModel;
import dev.octet.tune.TuningLog;
import dev.octet.tune.TuningRecord;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** `octet report model.octet -o report.html`: the compile report of a bundle. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Writes the compile report of a bundle (model.octet from octet compile): one self-contained "
                + "HTML page (inline SVG and CSS, nothing fetched when viewed) with a summary, per-layer latency "
                + "bars (median of --runs timed runs per step), the implementation chosen per layer, tuning curves "
                + "(best verified cost so far against trials, per task) from the bundle's tuning log or "
                + "--tuning-log, the quantization report where the bundle was compiled with --int8 --report, and "
                + "Octet against ONNX Runtime with --vs-ort.",
                "octet compile ... --report FILE writes the same page at the end of a compile."})
final class ReportCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "BUNDLE", description = "A bundle (model.octet) from octet compile.")
    Path bundle;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "REPORT.html",
            description = "Where the page is written.")
    Path output;

    @Option(names = "--tuning-log", paramLabel = "FILE",
            description = "The tuning log whose curves are drawn (default: the copy the bundle stores, if any).")
    Path tuningLog;

    @Option(names = "--vs-ort", paramLabel = "MODEL.onnx",
            description = "Also times ONNX Runtime on this model (e.g. the fp32 model the bundle was compiled from) "
                    + "on the same inputs and threads, alternating with Octet, and compares the outputs.")
    Path vsOrt;

    @Option(names = "--runs", defaultValue = "10", paramLabel = "N",
            description = "Timed runs per measurement, after a warm-up (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--threads", defaultValue = "1", paramLabel = "N",
            description = "Threads of Octet and ONNX Runtime (default: ${DEFAULT-VALUE}).")
    int threads;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (runs < 1 || threads < 1) {
            throw new OctetException("--runs and --threads must be at least 1");
        }
        if (!Files.exists(bundle)) {
            throw new OctetException(bundle + ": no such file");
        }
        if (!Bundle.looksLikeBundle(bundle)) {
            throw new OctetException(bundle + ": not a bundle; compile the model first (octet compile MODEL -o "
                    + "model.octet --report report.html writes the report too)");
        }
        Bundle b = Bundle.open(bundle);
        List<String> notes = new ArrayList<>();
        List<TuningRecord> tuning = null;
        String tuningSource = null;
        if (tuningLog != null) {
            tuning = TuningLog.read(tuningLog, w -> err.println("octet: warning: " + w));
            tuningSource = tuningLog.toString();
        } else if (b.tuningLog() != null) {
            tuningSource = "the bundle's tuning log";
            tuning = TuningLog.parse(new String(b.tuningLog(), StandardCharsets.UTF_8), bundle + "'s tuning log",
                    w -> err.println("octet: warning: " + w));
        }
        String json = b.quantizationReport();
        QuantizationReport quantization = json == null ? null
                : QuantizationReport.fromJson(json, bundle + "'s quantization report");
        long start = System.nanoTime();
        try (CompiledModel compiled = b.instantiate(CompileOptions.defaults().withThreads(threads), n -> {
            notes.add(n); // e.g. the JVM kernels instead of the bundle's library: the page says it too
            err.println(n);
        })) {
            CompileReport report = CompileReports.build(b.model(), compiled, threads, runs, quantization, tuning,
                    tuningSource, vsOrt, notes);
            report.write(output);
            out.printf("wrote   %s (latency %.2f ms median of %d runs%s) in %.1f s%n", output,
                    report.latency().medianMs(), runs, report.rival() == null ? ""
                            : String.format(", %s %.2f ms", report.rival().rival(), report.rival().rivalMedianMs()),
                    (System.nanoTime() - start) / 1e9);
            if (report.rival() != null) {
                out.println("vs ort  " + CompileReports.describe(report.rival()));
            }
        }
        out.flush();
        return 0;
    }
}
