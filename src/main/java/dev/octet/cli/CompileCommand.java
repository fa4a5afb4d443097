package dev.octet.cli;

import dev.octet.CompileOptions;
import dev.octet.Octet;
import dev.octet.bundle.BundleManifest;
import dev.octet.bundle.BundleWriter;
import dev.octet.data.ModelFamily;
import dev.octet.frontend.onnx.OnnxImporter;
import dev.octet.ir.Model;
import dev.octet.ir.OctetException;
import dev.octet.kernel.IsaLevel;
import dev.octet.quant.AccuracyProxy;
import dev.octet.quant.LayerSummary;
import dev.octet.oracle.Oracles;
import dev.octet.quant.QuantizationReport;
import dev.octet.report.CompileReport;
import dev.octet.report.RivalTiming;
import dev.octet.runtime.CompiledModel;
import dev.octet.tune.ConfirmationRecord;
import dev.octet.tune.Confirmations;
import dev.octet.tune.TuningLog;
import dev.octet.tune.TuningRecord;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** `octet compile MODEL [--int8 --calib DIR ...] [--tuning-log FILE] -o model.octet`: the pipeline to a bundle. */
@Command(name = "compile", mixinStandardHelpOptions = true,
        description = {"Compiles a model into a bundle (model.octet) that `octet run` and Octet.loadCompiled load "
                + "without a C compiler: the graph, the native library for a named ISA level, the kernel "
                + "configurations (tuned ones from --tuning-log) and a manifest with the Octet version and the "
                + "SHA-256 of every entry. Packed weights are re-packed from the graph's weights at load. Without a "
                + "C compiler the bundle holds no library and runs on the JVM kernels.",
                "Steps: import, quantize (--int8: calibrate, then the QDQ rewrite), build (simplify, lower, compile "
                        + "the C library), write; then one timed run on random input for the summary."})
final class CompileCommand implements Callable<Integer> {
    private static final int TIMED_RUNS = 3;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "An ONNX model file (fp32, or QDQ int8).")
    Path model;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT.octet",
            description = "Where the bundle is written.")
    Path output;

    @Option(names = "--int8", description = "Quantizes an fp32 model to int8 first (calibrated on --calib DIR); a "
            + "QDQ model file is int8 already.")
    boolean int8;

    @Mixin
    Int8Options int8Options;

    @Mixin
    TuningLogOption tuning;

    @Option(names = "--isa", paramLabel = "LEVEL", description = "The ISA level of the native library: "
            + "x86-64-v3 or x86-64-v4+vnni (default: the best this CPU runs, or -Doctet.isa).")
    String isa;

    @Option(names = "--tune", paramLabel = "N",
            description = "Tunes the model's kernels first: N candidates in all, spent by the task scheduler with the "
                    + "learned cost model (as `octet tune --tuner xgb --total-trials N`), every one verified; the log "
                    + "goes to --tuning-log FILE (appended to, so a second compile resumes) or beside the bundle as "
                    + "OUT.tune.jsonl, and the build uses its best records.")
    Integer tune;

    @Option(names = "--accuracy-images", defaultValue = "4", paramLabel = "N",
            description = "With --int8: runs the fp32 and the int8 model on N images not calibrated on (the fallback's "
                    + "held-out ones, or those of --calib beyond --calib-count; else the last calibration images, "
                    + "said to be optimistic) and prints the output cosine as an accuracy proxy; 0 skips it "
                    + "(default: ${DEFAULT-VALUE}). `octet eval` measures end-task accuracy.")
    int accuracyImages;

    @Option(names = "--threads", defaultValue = "0", paramLabel = "N",
            description = "Threads of calibration and of the timed run (default: the machine's cores).")
    int threads;

    @Option(names = "--report", paramLabel = "REPORT.html",
            description = "Also writes the compile report (as octet report does from the bundle): per-layer latency, "
                    + "implementation per layer, tuning curves of --tuning-log and, with --int8, the quantization "
                    + "report, measured against fp32 on the first --report-images calibration images and stored in "
                    + "the bundle so that octet report can show it again.")
    Path report;

    @Option(names = "--report-images", paramLabel = "N", defaultValue = "8",
            description = "Calibration images the quantization report measures errors on (default: "
                    + "${DEFAULT-VALUE}).")
    int reportImages;

    @Option(names = "--report-runs", paramLabel = "N", defaultValue = "10",
            description = "Timed runs behind the report's per-layer latencies and, with --vs-ort, of Octet and ONNX "
                    + "Runtime each (default: ${DEFAULT-VALUE}).")
    int reportRuns;

    @Option(names = "--vs-ort", description = "Also times ONNX Runtime on MODEL (with --int8: the fp32 model) beside "
            + "the compiled model, as octet report --vs-ort does: the same inputs and threads, --report-runs timed "
            + "runs each alternating after a warm-up, medians and their ratio, and the outputs compared. The summary "
            + "prints it and the --report page shows it side by side. Needs ONNX Runtime on the class path.")
    boolean vsOrt;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        long start = System.nanoTime();
        // AUTO: without a C compiler the bundle holds no library and runs on the JVM kernels (compile says so)
        CompileOptions options = CompileOptions.defaults();
        options = threads > 0 ? options.withThreads(threads) : options;
        options = isa != null ? options.withIsa(IsaLevel.parse(isa)) : options;
        if ((report != null || vsOrt) && (reportImages < 1 || reportRuns < 1)) {
            throw new OctetException("--report-images and --report-runs must be at least 1");
        }
        if (tune != null && tune < 1) {
            throw new OctetException("--tune needs a positive number of candidates, not " + tune);
        }
        if (tune != null && options.isaLevel() != IsaLevel.defaultLevel()) {
            throw new OctetException("--tune measures at the default ISA level " + IsaLevel.defaultLevel().id()
                    + ", not --isa " + options.isaLevel().id() + " (use -Doctet.isa to change both)");
        }
        if (vsOrt && !Oracles.onnxRuntimeAvailable()) { // before minutes of calibration and tuning, not after
            throw new OctetException("--vs-ort needs ONNX Runtime on the class path (Maven artifact "
                    + "com.microsoft.onnxruntime:onnxruntime)");
        }
        Progress progress = new Progress(err, (int8 ? 4 : 3) + (report != null ? 1 : 0) + (tune != null ? 1 : 0)
                + (vsOrt ? 1 : 0));

        progress.step("import   " + model);
        Model m = OnnxImporter.load(model);
        progress.done(m.graph().nodes().size() + " nodes");

        Model fp32 = m;
        Int8Options.Quantized quantized = null;
        QuantizationReport quantizationReport = null;
        if (int8) {
            progress.step("quantize (calibrate, then rewrite to QDQ" + (report != null ? "; measure the report)"
                    : ")"));
            quantized = int8Options.quantize(m, options, true);
            m = quantized.model();
            if (report != null && quantized.quantized() != null) {
                quantizationReport = QuantizationReport.measure(model.getFileName().toString(), fp32.graph(),
                        quantized.quantized(), int8Options.quantizer(options, false),
                        int8Options.calibrationImages(fp32), reportImages, quantized.calibration());
            }
            progress.done(quantized.quantized() == null ? "quantized already" : "");
        }

        if (tune != null) {
            Path log = tuning.tuningLog != null ? tuning.tuningLog
                    : output.resolveSibling(output.getFileName().toString().replaceFirst("\\.octet$", "") + ".tune.jsonl");
            progress.step("tune     " + tune + " candidates, scheduled, cost model (" + KernelTuning.DEFAULT_TUNER
                    + "), into " + log);
            var o = KernelTuning.scheduled(tune).run(m, model.getFileName().toString(), log, err,
                    err);
            double[] totals = o.weightedTotals();
            // as octet tune's default --confirm: a best goes into the build only where it beats the default by
            // more than three times the timing noise when both are re-measured alternately
            Confirmations.Verdicts verdicts = Confirmations.Verdicts.of(Confirmations.afterTuning(o, log,
                    w -> err.println("octet: warning: " + w)));
            // and as its default --confirm-in-model: then each applied best again, inside the whole model
            List<ConfirmationRecord> inModel = InModelConfirmation.run(m, log, InModelConfirmation.DEFAULT_ROUNDS,
                    err);
            long kept = inModel.stream().filter(r -> r.verdict() == ConfirmationRecord.Verdict.SIGNIFICANT).count();
            progress.done(String.format("%d measured, %d failed; kernels %.3f -> %.3f ms weighted by uses (%.2fx); "
                    + "%d bests confirmed, %d within the noise (their default kept); in the model %d faster, %d "
                    + "not (their default kept)", o.measured(), o.failed(), totals[0] * 1e3, totals[1] * 1e3,
                    totals[0] / totals[1], verdicts.significant(), verdicts.withinNoise(), kept,
                    inModel.size() - kept));
            tuning.tuningLog = log;
        }
        options = tuning.apply(options, err);
        boolean proxy = quantized != null && quantized.quantized() != null && accuracyImages > 0;
        progress.step("build    (simplify, lower, compile the kernels for " + options.isaLevel().id() + ")"
                + (proxy ? ", then the accuracy proxy" : ""));
        try (CompiledModel compiled = Octet.compile(m, options)) {
            progress.done(compiled.backendDescription());

            progress.step("write    " + output);
            BundleManifest manifest = BundleWriter.write(compiled, m, tuning.tuningLog,
                    quantizationReport == null ? null : quantizationReport.toJson(), output);
            progress.done(mib(size(output)));

            ModelInputs.Prepared inputs = ModelInputs.build(m, ModelFamily.of(m), new InputOptions());
            compiled.run(inputs.tensors()); // first run: shape plan and warm-up
            double ms = Double.MAX_VALUE;
            for (int i = 0; i < TIMED_RUNS; i++) { // the best of a few: other processes' noise only adds time
                long runStart = System.nanoTime();
                compiled.run(inputs.tensors());
                ms = Math.min(ms, (System.nanoTime() - runStart) / 1e6);
            }

            out.println("model   " + model.getFileName() + " (" + ModelFamily.of(m).description() + ")");
            if (quantized != null) {
                out.println(quantized.describe());
                if (quantized.quantized() != null) {
                    var layers = quantized.quantized().summary().layers();
                    long int8Layers = layers.stream().filter(LayerSummary::int8).count();
                    out.println("layers  " + int8Layers + " int8, " + (layers.size() - int8Layers) + " float");
                }
            } else {
                out.println("layers  all float (fp32 model; --int8 quantizes it)");
            }
            out.println("steps   " + compiled.backendDescription());
            out.println("library " + (manifest.isaLevel() == null ? "none (no native kernels)"
                    : manifest.isaLevel() + ", " + mib(compiled.nativeLibrary().map(l -> size(l.path())).orElse(0L))));
            if (tuning.summary() != null) {
                out.println(tuning.summary());
            }
            if (proxy) {
                out.println("accuracy " + accuracyProxy(fp32, compiled, options).describe());
            }
            out.printf("latency %.2f ms (best of %d runs on random input after a warm-up run; %s)%n", ms, TIMED_RUNS,
                    inputs.descriptions().isEmpty() ? "" : String.join("; ", inputs.descriptions()));
            RivalTiming rival = null;
            if (vsOrt) {
                progress.step("vs ORT   ONNX Runtime on " + model.getFileName() + ", " + reportRuns + " timed runs "
                        + "each alternating with Octet, " + options.threads() + " thread(s)");
                rival = CompileReports.vsOrt(m, compiled, model, reportRuns, options.threads());
                progress.done(rival.rival());
                out.println("vs ort  " + CompileReports.describe(rival));
                if (rival.agreement() != null) {
                    out.println("        outputs against ONNX Runtime: " + rival.agreement());
                }
            }
            if (report != null) {
                progress.step("report   " + report);
                List<TuningRecord> records = tuning.tuningLog == null ? null : TuningLog.read(tuning.tuningLog,
                        w -> { });
                CompileReport page = CompileReports.build(m, compiled, options.threads(), reportRuns,
                        quantizationReport, records, tuning.tuningLog == null ? null : tuning.tuningLog.toString(),
                        rival, List.of());
                page.write(report);
                progress.done(String.format("latency %.2f ms median of %d runs", page.latency().medianMs(),
                        reportRuns));
            }
            out.printf("wrote   %s (%s, Octet %s) in %.1f s%n", output, mib(size(output)), manifest.octetVersion(),
                    (System.nanoTime() - start) / 1e9);
            if (report != null) {
                out.println("report  " + report);
            }
        }
        out.flush();
        return 0;
    }

    /** The int8 model against the fp32 one (compiled here, untuned) on images that were not calibrated on. */
    private AccuracyProxy accuracyProxy(Model fp32, CompiledModel int8Model, CompileOptions options) {
        Int8Options.ProxyImages images = int8Options.proxyImages(fp32, accuracyImages);
        try (CompiledModel reference = Octet.compile(fp32, options.withConfigs(null))) {
            return AccuracyProxy.measure(reference, int8Model, images.images(),
                    fp32.graph().inputs().getFirst().name(), images.heldOut());
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new OctetException("cannot read " + file + " (" + e.getMessage() + ")");
        }
    }

    private static String mib(long bytes) {
        return bytes < 1 << 20 ? String.format("%.1f KiB", bytes / 1024.0) : String.format("%.1f MiB", bytes / 1048576.0);
    }

    /** One line per pipeline step on stderr: "[2/4] build ... done in 1.2 s (what it made)". */
    private static final class Progress {
        private final PrintWriter err;
        private final int steps;
        private int step;
        private long started;

        Progress(PrintWriter err, int steps) {
            this.err = err;
            this.steps = steps;
        }

        void step(String what) {
            step++;
            started = System.nanoTime();
            err.printf("[%d/%d] %s%n", step, steps, what);
            err.flush();
        }

        void done(String result) {
            err.printf("      done in %.1f s%s%n", (System.nanoTime() - started) / 1e9,
                    result.isEmpty() ? "" : ": " + result);
            err.flush();
        }
    }
}
