package dev.octet.cli;

import dev.octet.CompileOptions;
import dev.octet.frontend.onnx.OnnxImporter;
import dev.octet.frontend.onnx.OnnxWriter;
import dev.octet.ir.Model;
import dev.octet.ir.OctetException;
import dev.octet.quant.PostTrainingQuantizer;
import dev.octet.quant.QuantizationReport;
import dev.octet.report.ReportPage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** `octet quantize MODEL --calib DIR -o OUT.onnx`: int8 post-training quantization to a QDQ ONNX file. */
@Command(name = "quantize", mixinStandardHelpOptions = true,
        description = {"Quantizes an fp32 ONNX model to int8 after calibrating it on a directory of images, and "
                + "writes a QDQ ONNX file (which ONNX Runtime runs too, and which `octet run/bench/compare "
                + "--int8` compile to integer kernels) plus a per-layer summary (OUT.summary.json).",
                "Weights are symmetric int8 per output channel, activations u8 per tensor; ReLU/Clip fold into the "
                        + "requantize clamp; residual Adds, MaxPool, Concat and nearest Resize stay int8; the "
                        + "rest (SE blocks, Softmax, global pooling) stays float."})
final class QuantizeCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "An fp32 ONNX model file.")
    Path model;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT.onnx",
            description = "Where the QDQ model is written.")
    Path output;

    @Mixin
    Int8Options int8;

    @Option(names = "--threads", defaultValue = "0", paramLabel = "N",
            description = "Threads of the calibration runs (default: the machine's cores).")
    int threads;

    @Option(names = "--json", description = "Prints the summary as JSON instead of the table.")
    boolean json;

    @Option(names = "--report", paramLabel = "REPORT.html",
            description = "Also writes a quantization report: one self-contained HTML page (per-layer SQNR and "
                    + "cosine against fp32, scales and clipping ranges against the observed values, float layers "
                    + "and why, error and histogram plots) and its data as JSON beside it (REPORT.json).")
    Path report;

    @Option(names = "--report-images", paramLabel = "N", defaultValue = "8",
            description = "Images (the first N calibration images) the report measures errors on (default: "
                    + "${DEFAULT-VALUE}).")
    int reportImages;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (int8.calib == null) {
            throw new OctetException("octet quantize needs calibration images: --calib DIR");
        }
        if (reportImages < 1) {
            throw new OctetException("--report-images must be at least 1, not " + reportImages);
        }
        Model m = OnnxImporter.load(model);
        if (PostTrainingQuantizer.isQuantized(m.graph())) {
            throw new OctetException(model + " is already quantized (it has QuantizeLinear/QLinearConv nodes)");
        }
        CompileOptions compile = threads > 0 ? CompileOptions.defaults().withThreads(threads)
                : CompileOptions.defaults();
        long start = System.nanoTime();
        Int8Options.Quantized q = int8.quantize(m, compile, true);
        OnnxWriter.write(q.model(), output);
        Path summaryFile = summaryPath(output);
        try {
            Files.writeString(summaryFile, q.quantized().summary().toJson());
        } catch (IOException e) {
            throw new OctetException("cannot write the summary " + summaryFile + " (" + e.getMessage() + ")");
        }
        Path reportJson = report == null ? null : writeReport(m, q, compile);
        if (json) {
            out.println(q.quantized().summary().toJson());
        } else {
            out.println("model   " + model.getFileName());
            out.println(q.describe());
            q.printSummary(out);
            out.printf("wrote   %s and %s in %.1f s%n", output, summaryFile, (System.nanoTime() - start) / 1e9);
            if (report != null) {
                out.printf("report  %s and %s%n", report, reportJson);
            }
        }
        out.flush();
        return 0;
    }

    /** Measures the quantized model against fp32 and writes the HTML page and its JSON; returns the JSON file. */
    private Path writeReport(Model m, Int8Options.Quantized q, CompileOptions compile) {
        QuantizationReport r = QuantizationReport.measure(model.getFileName().toString(),
                m.graph(), q.quantized(), int8.quantizer(compile, false),
                int8.calibrationImages(m), reportImages, q.calibration());
        return ReportPage.write(r, report);
    }

    /** OUT.onnx → OUT.summary.json next to it. */
    static Path summaryPath(Path output) {
        String name = output.getFileName().toString();
        String stem = name.endsWith(".onnx") ? name.substring(0, name.length() - 5) : name;
        return output.resolveSibling(stem + ".summary.json");
    }
}
