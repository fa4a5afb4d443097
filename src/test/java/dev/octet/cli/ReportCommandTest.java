package dev.octet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.octet.Octet;
import dev.octet.bundle.Bundle;
import dev.octet.frontend.onnx.OnnxWriter;
import dev.octet.ir.Graph;
import dev.octet.ir.Model;
import dev.octet.kernel.Config;
import dev.octet.quant.QuantizationReport;
import dev.octet.quant.SyntheticModel;
import dev.octet.report.SelfContained;
import dev.octet.runtime.CompiledModel;
import dev.octet.tune.ErrorCode;
import dev.octet.tune.TuningLog;
import dev.octet.tune.Target;
import dev.octet.tune.TuningRecord;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `octet compile --report` and `octet report`: the same self-contained page from the compile and from the bundle,
 * int8 with the quantization report the bundle carries, fp32 with tuning curves of a given log; clear errors.
 */
class ReportCommandTest {
    @TempDir
    Path dir;

    @Test
    void int8CompileWritesTheReportAndTheBundleCarriesItsQuantizationReport() throws Exception {
        Path model = dir.resolve("synthetic.onnx");
        OnnxWriter.write(SyntheticModel.build(), model);
        Path bundle = dir.resolve("s.octet");
        Path atCompile = dir.resolve("compile.html");
        CliRun compile = CliRun.of("compile", model.toString(), "--int8", "--calib", images(dir.resolve("calib"), 5)
                .toString(), "--no-calib-cache", "--threads", "1", "-o", bundle.toString(), "--report",
                atCompile.toString(), "--report-images", "2", "--report-runs", "3");
        assertThat(compile.exitCode()).as(compile.err()).isZero();
        assertThat(compile.err()).contains("[5/5] report");
        assertThat(compile.out()).contains("report  " + atCompile);

        Bundle opened = Bundle.open(bundle);
        assertThat(opened.manifest().entries()).containsKey("quantization.json");
        QuantizationReport q = QuantizationReport.fromJson(opened.quantizationReport(), "test");
        assertThat(q.toJson()).isEqualTo(opened.quantizationReport()); // survives the round trip whole
        long int8 = q.layers().stream().filter(l -> l.summary().int8()).count();
        assertThat(int8).isPositive();

        Path fromBundle = dir.resolve("report.html");
        CliRun report = CliRun.of("report", bundle.toString(), "-o", fromBundle.toString(), "--runs", "3");
        assertThat(report.exitCode()).as(report.err()).isZero();
        assertThat(report.out()).contains("wrote   " + fromBundle, "median of 3 runs");
        for (Path page : new Path[] {atCompile, fromBundle}) {
            String html = Files.readString(page);
            SelfContained.check(html);
            assertThat(html).as(page.toString()).contains("Compile report: synthetic.onnx",
                    "layers: " + int8 + " int8, " + (q.layers().size() - int8) + " float", "Latency per layer",
                    "Implementation per layer", "Error per layer", "Activation histograms of the",
                    "Quantized layers", "No tuning log");
            Matcher templates = Pattern.compile("<td>(conv_int8\\w*|dwconv_int8\\w*)</td>").matcher(html);
            assertThat(templates.find()).as("an int8 conv template in the implementation table").isTrue();
        }

        Path tampered = dir.resolve("tampered.octet");
        rewrite(bundle, tampered, "quantization.json", opened.quantizationReport().replace("\"weightBits\" : 8",
                "\"weightBits\" : 7"));
        CliRun refused = CliRun.of("report", tampered.toString(), "-o", dir.resolve("t.html").toString());
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err().strip()).isEqualTo("octet: error: " + tampered + ": the bundle's entry "
                + "quantization.json does not match its SHA-256 in the manifest (the bundle is corrupt or was "
                + "tampered with)");
    }

    /** A copy of a bundle with one entry's text replaced (its manifest hash left as it was). */
    private static void rewrite(Path from, Path to, String entry, String text) throws Exception {
        try (java.util.zip.ZipFile in = new java.util.zip.ZipFile(from.toFile());
                java.util.zip.ZipOutputStream out = new java.util.zip.ZipOutputStream(Files.newOutputStream(to))) {
            for (var e : java.util.Collections.list(in.entries())) {
                out.putNextEntry(new java.util.zip.ZipEntry(e.getName()));
                out.write(e.getName().equals(entry) ? text.getBytes(java.nio.charset.StandardCharsets.UTF_8)
                        : in.getInputStream(e).readAllBytes());
                out.closeEntry();
            }
        }
    }

    @Test
    void anFp32BundlesReportDrawsTheGivenTuningLogsCurves() throws Exception {
        Path model = dir.resolve("two_convs.onnx");
        OnnxWriter.write(dev.octet.report.CompileReportTestAccess.twoConvs(), model);
        Path bundle = dir.resolve("f.octet");
        CliRun compile = CliRun.of("compile", model.toString(), "--threads", "1", "-o", bundle.toString());
        assertThat(compile.exitCode()).as(compile.err()).isZero();
        Path log = dir.resolve("t.jsonl");
        Map<String, Config> configs;
        try (CompiledModel loaded = Octet.loadCompiled(bundle)) {
            configs = loaded.buildRecord().orElseThrow().configs();
        }
        try (TuningLog writer = TuningLog.append(log, w -> { })) {
            Random r = new Random(1);
            configs.forEach((workload, config) -> {
                for (int i = 0; i < 5; i++) {
                    double s = (1 + r.nextDouble()) / 1e3;
                    writer.write(new TuningRecord(workload, "t", config, "template", s, s, ErrorCode.NO_ERROR, null,
                            0.1, i, "dev", "cc"));
                }
            });
        }
        Path page = dir.resolve("f.html");
        boolean ort = dev.octet.oracle.Oracles.onnxRuntimeAvailable();
        CliRun report = ort ? CliRun.of("report", bundle.toString(), "-o", page.toString(), "--runs", "2",
                "--tuning-log", log.toString(), "--vs-ort", model.toString())
                : CliRun.of("report", bundle.toString(), "-o", page.toString(), "--runs", "2", "--tuning-log",
                        log.toString());
        assertThat(report.exitCode()).as(report.err()).isZero();
        String html = Files.readString(page);
        SelfContained.check(html);
        assertThat(html).contains("layers: all", "Tuning curves", configs.size() + " of " + configs.size()
                + " tasks in the log", "5 trials, 0 failed", "None: the model runs in float.");
        assertThat(html.split("<polyline", -1)).hasSize(configs.size() + 1);
        if (ort) { // the same fp32 model on both: outputs agree to float rounding
            assertThat(report.out()).contains("ONNX Runtime");
            assertThat(html).contains("<h2 id=\"octet-and-onnx-runtime", "2 timed runs each, alternating",
                    "outputs: y: cosine 1.000000");
        }
    }

    @Test
    void compileWithVsOrtAndATuningLogGivesOnePageWithOnnxRuntimeAndTheTunedLayerMarked() throws Exception {
        Graph graph = dev.octet.report.CompileReportTestAccess.twoConvs();
        Path model = dir.resolve("two_convs.onnx");
        OnnxWriter.write(graph, model);
        // a log in which c2's kernel has a faster configuration than its default, measured on this target
        Map.Entry<String, Config> c2 = dev.octet.report.CompileReportTestAccess.anotherConfig(graph, "c2");
        Config c2Default;
        try (CompiledModel untuned = Octet.compile(Octet.load(model),
                dev.octet.CompileOptions.defaults().withThreads(1))) {
            c2Default = untuned.buildRecord().orElseThrow().configs().get(c2.getKey());
        }
        Path log = dir.resolve("t.jsonl");
        String target = Target.current().key();
        try (TuningLog writer = TuningLog.append(log, w -> { })) {
            writer.write(new TuningRecord(c2.getKey(), target, c2Default, "template", 40e-6, 40e-6, ErrorCode.NO_ERROR,
                    null, 0.1, 1, "dev", "cc"));
            writer.write(new TuningRecord(c2.getKey(), target, c2.getValue(), "template", 32e-6, 32e-6,
                    ErrorCode.NO_ERROR, null, 0.1, 2, "dev", "cc"));
        }
        Path bundle = dir.resolve("t.octet");
        Path page = dir.resolve("t.html");
        CliRun compile = CliRun.of("compile", model.toString(), "--threads", "1", "--tuning-log", log.toString(),
                "--report", page.toString(), "--report-runs", "2", "--vs-ort", "-o", bundle.toString());
        if (!dev.octet.oracle.Oracles.onnxRuntimeAvailable()) { // OrtFreeRunTest checks the error without it
            assertThat(compile.exitCode()).isEqualTo(1);
            assertThat(compile.err()).contains("--vs-ort needs ONNX Runtime on the class path");
            return;
        }
        assertThat(compile.exitCode()).as(compile.err()).isZero();
        assertThat(compile.err()).contains("[4/5] vs ORT   ONNX Runtime on two_convs.onnx, 2 timed runs each",
                "[5/5] report");
        assertThat(compile.out()).contains("tuned   1 kernels from " + log,
                "outputs against ONNX Runtime: y: cosine 1.000000");
        Matcher vs = Pattern.compile("vs ort  ONNX Runtime \\S+ [0-9.]+ ms median, Octet [0-9.]+ ms: ratio ([0-9.]+) "
                + "\\((Octet|ONNX Runtime) faster; 2 alternating runs each, 1 thread\\(s\\)\\)").matcher(compile.out());
        assertThat(vs.find()).as(compile.out()).isTrue();
        String html = Files.readString(page);
        SelfContained.check(html);
        // one measurement: the page's ratio is the one the summary printed
        assertThat(html).contains("<h2 id=\"octet-and-onnx-runtime", "2 timed runs each, alternating, 1 thread(s)",
                "outputs: y: cosine 1.000000", ": ratio " + vs.group(1) + " (above 1: Octet is faster)");

        CliRun report = CliRun.of("report", bundle.toString(), "-o", dir.resolve("again.html").toString(), "--runs",
                "2");
        assertThat(report.exitCode()).as(report.err()).isZero();
        for (String h : new String[] {html, Files.readString(dir.resolve("again.html"))}) {
            // the bundle replays the tuned choice and carries the log: the same layer marked, with the log's times
            assertThat(h).containsPattern("1 of \\d+ steps tuned \\(1 of the 2 with a tunable kernel")
                    .contains("40 µs → 32 µs (1.25x)");
            String[] tuned = h.split("<tr class=\"tuned\">", -1);
            assertThat(tuned).hasSize(2);
            assertThat(tuned[1].substring(0, tuned[1].indexOf("</tr>"))).contains("<td>c2</td>",
                    "<span class=\"badge\">tuned</span>");
        }
    }

    @Test
    void compileHelpNamesVsOrt() {
        CliRun r = CliRun.of("compile", "--help");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("--vs-ort", "--report-runs");
    }

    @Test
    void helpNamesTheOptions() {
        CliRun r = CliRun.of("report", "--help");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("BUNDLE", "--output", "--tuning-log", "--vs-ort", "--runs", "--threads");
    }

    @Test
    void aMissingBundleIsOneClearErrorLine() {
        Path missing = dir.resolve("missing.octet");
        CliRun r = CliRun.of("report", missing.toString(), "-o", dir.resolve("r.html").toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err().strip()).isEqualTo("octet: error: " + missing + ": no such file");
        assertThat(dir.resolve("r.html")).doesNotExist();
    }

    @Test
    void anOnnxModelInsteadOfABundleSaysToCompileIt() throws Exception {
        Path model = dir.resolve("m.onnx");
        OnnxWriter.write(dev.octet.report.CompileReportTestAccess.twoConvs(), model);
        CliRun r = CliRun.of("report", model.toString(), "-o", dir.resolve("r.html").toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err().strip()).startsWith("octet: error: " + model + ": not a bundle; compile the model first")
                .doesNotContain("\n");
    }

    private static Path images(Path dir, int count) throws Exception {
        Files.createDirectories(dir);
        for (int i = 0; i < count; i++) {
            Random r = new Random(i);
            BufferedImage img = new BufferedImage(20 + i, 18 + i, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < img.getHeight(); y++) {
                for (int x = 0; x < img.getWidth(); x++) {
                    img.setRGB(x, y, r.nextInt(1 << 24));
                }
            }
            ImageIO.write(img, "png", dir.resolve(String.format("img%02d.png", i)).toFile());
        }
        return dir;
    }
}
