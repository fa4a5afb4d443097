package dev.octet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.octet.testing.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `octet quantize --report` and `octet eval --int8 --report` on PP-OCR's text-direction classifier: the HTML page and
 * its JSON beside it, with the evaluation's metrics where eval wrote it.
 */
class QuantizeReportCommandTest {
    @TempDir
    Path dir;

    @Test
    void writesTheHtmlReportAndItsJson() throws Exception {
        String model = TestData.ppocr("ch_ppocr_mobile_v2.0_cls_infer.onnx").toString();
        Path calib = dir.resolve("calib");
        CliRun w = CliRun.of("eval", "ocr-cls", model, "--write-calib", calib.toString(), "--samples", "6");
        assertThat(w.exitCode()).as(w.err()).isZero();
        Path html = dir.resolve("cls-report.html");
        CliRun r = CliRun.of("quantize", model, "--calib", calib.toString(), "-o", dir.resolve("cls.onnx").toString(),
                "--report", html.toString(), "--report-images", "2", "--no-calib-cache");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("report  " + html);
        String page = Files.readString(html);
        assertThat(page).contains("ch_ppocr_mobile_v2.0_cls_infer.onnx", "<svg", "2 image(s)")
                .doesNotContain("http://", "https://");
        JsonNode report = new ObjectMapper().readTree(Files.readString(dir.resolve("cls-report.json")));
        long measuredConvs = 0;
        for (JsonNode l : report.get("layers")) {
            if (l.get("summary").get("opType").asText().equals("Conv") && l.get("summary").get("int8").asBoolean()) {
                assertThat(l.get("error").get("cosine").asDouble()).as(l.toString()).isGreaterThan(0.5);
                measuredConvs++;
            }
        }
        assertThat(measuredConvs).isGreaterThan(40);
        assertThat(report.get("histograms")).hasSize(6);
    }

    @Test
    void evalPutsItsFp32AndInt8MetricsOnTheReport() throws Exception {
        String model = TestData.ppocr("ch_ppocr_mobile_v2.0_cls_infer.onnx").toString();
        Path html = dir.resolve("eval.html");
        CliRun r = CliRun.of("eval", "ocr-cls", model, "--int8", "--samples", "20", "--calib-count", "6",
                "--no-calib-cache", "--report", html.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode metrics = new ObjectMapper().readTree(Files.readString(dir.resolve("eval.json"))).get("metrics");
        assertThat(metrics).hasSize(1);
        assertThat(metrics.get(0).get("name").asText()).isEqualTo("accuracy %");
        double fp32 = metrics.get(0).get("fp32").asDouble();
        assertThat(fp32).isBetween(50.0, 100.0);
        assertThat(r.out()).contains(String.format("%.2f%%", fp32)); // the page's fp32 value is eval's
        assertThat(Files.readString(html)).contains("accuracy %", "<svg");

        CliRun without = CliRun.of("eval", "ocr-cls", model, "--samples", "2", "--report", html.toString());
        assertThat(without.exitCode()).isNotZero();
        assertThat(without.err()).contains("--report needs --int8");
    }

    @Test
    void refusesAReportOnNoImage() throws Exception {
        String model = TestData.ppocr("ch_ppocr_mobile_v2.0_cls_infer.onnx").toString();
        Path calib = dir.resolve("calib");
        assertThat(CliRun.of("eval", "ocr-cls", model, "--write-calib", calib.toString(), "--samples", "2")
                .exitCode()).isZero();
        CliRun r = CliRun.of("quantize", model, "--calib", calib.toString(), "-o", dir.resolve("c.onnx").toString(),
                "--report", dir.resolve("r.html").toString(), "--report-images", "0");
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.err()).contains("--report-images must be at least 1, not 0");
        assertThat(dir.resolve("c.onnx")).doesNotExist();
    }
}
