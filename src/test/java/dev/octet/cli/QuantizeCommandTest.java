package dev.octet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.octet.Octet;
import dev.octet.quant.PostTrainingQuantizer;
import dev.octet.testing.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `octet quantize` and `--int8` on run and eval, end to end on PP-OCR's text-direction classifier with calibration
 * lines rendered by `octet eval --write-calib`.
 */
class QuantizeCommandTest {
    @TempDir
    Path dir;

    private String model;
    private Path calib;

    @BeforeEach
    void calibrationImages() {
        model = TestData.ppocr("ch_ppocr_mobile_v2.0_cls_infer.onnx").toString();
        calib = dir.resolve("calib");
        CliRun w = CliRun.of("eval", "ocr-cls", model, "--write-calib", calib.toString(), "--samples", "12");
        assertThat(w.exitCode()).as(w.err()).isZero();
    }

    @Test
    void writesAQdqModelAndItsSummaryThatCompileToIntegerKernels() throws Exception {
        Path out = dir.resolve("cls-int8.onnx");
        CliRun r = CliRun.of("quantize", model, "--calib", calib.toString(), "-o", out.toString(), "--json",
                "--method", "kl");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode summary = new ObjectMapper().readTree(r.out());
        long int8Convs = 0;
        for (JsonNode l : summary.get("layers")) {
            if (l.get("opType").asText().equals("Conv") && l.get("int8").asBoolean()) {
                int8Convs++;
            }
        }
        assertThat(int8Convs).isGreaterThan(40);
        assertThat(new ObjectMapper().readTree(Files.readString(dir.resolve("cls-int8.summary.json"))))
                .isEqualTo(summary);
        assertThat(PostTrainingQuantizer.isQuantized(Octet.load(out).graph())).isTrue();

        Path line = Files.list(calib).filter(p -> p.toString().endsWith(".png")).sorted().findFirst().orElseThrow();
        CliRun fp32 = CliRun.of("run", model, "--input", line.toString(), "--json");
        CliRun int8 = CliRun.of("run", out.toString(), "--input", line.toString(), "--json");
        assertThat(int8.exitCode()).as(int8.err()).isZero();
        JsonNode a = new ObjectMapper().readTree(fp32.out());
        JsonNode b = new ObjectMapper().readTree(int8.out());
        assertThat(b.get("top").get(0).get("index").asInt()).as("fp32 %s, int8 %s", a, b)
                .isEqualTo(a.get("top").get(0).get("index").asInt());
    }

    @Test
    void fallbackAndBiasCorrectionAreOptionsAndTheSummarySaysWhatTheyDid() throws Exception {
        Path out = dir.resolve("cls-fallback.onnx");
        CliRun r = CliRun.of("quantize", model, "--calib", calib.toString(), "-o", out.toString(), "--json",
                "--min-cosine", "0.99", "--fallback-images", "4", "--bias-correction");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode summary = new ObjectMapper().readTree(r.out());
        assertThat(summary.get("notes").toString()).contains("fallback: budget mean output cosine >= 0.99 on 4 "
                + "held-out input(s)");
        int corrected = 0;
        for (JsonNode l : summary.get("layers")) {
            if (l.get("int8").asBoolean() && l.get("opType").asText().equals("Conv")) {
                assertThat(l.get("biasShift").isArray()).as("%s", l).isTrue();
                corrected++;
            }
        }
        assertThat(corrected).isGreaterThan(40);

        CliRun tooFew = CliRun.of("quantize", model, "--calib", calib.toString(), "-o", out.toString(), "--fallback",
                "--fallback-images", "12", "--no-bias-correction");
        assertThat(tooFew.exitCode()).isEqualTo(1);
        assertThat(tooFew.err()).contains("fallback holds out 12 calibration image(s) for its budget, but there are "
                + "only 12");
    }

    @Test
    void runInt8QuantizesOnTheFlyAndSaysSo() {
        Path line = calib.resolve(firstPng());
        CliRun r = CliRun.of("run", model, "--int8", "--calib", calib.toString(), "--input", line.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("int8    ").containsPattern("convs in int8, \\d+ bias\\(es\\) corrected; "
                + "calibrated on 12 image\\(s\\)");
    }

    @Test
    void evalInt8ReportsTheDropFromFp32() throws Exception {
        CliRun r = CliRun.of("eval", "ocr-cls", model, "--int8", "--calib-count", "16", "--samples", "40", "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.get("candidate").asText()).startsWith("int8");
        assertThat(json.get("candidate_report").get("samples").asInt()).isEqualTo(40);
        assertThat(json.get("drop").get("metric").asText()).isEqualTo("accuracy");
        assertThat(json.get("candidate_report").get("accuracy").get("value").asDouble()).isGreaterThan(0.8);
    }

    @Test
    void aFloatModelWithoutCalibrationImagesOrWithAStrayFileIsAClearError() throws Exception {
        CliRun quantize = CliRun.of("quantize", model, "-o", dir.resolve("x.onnx").toString());
        assertThat(quantize.exitCode()).isNotZero();
        assertThat(quantize.err()).contains("--calib DIR");
        CliRun run = CliRun.of("run", model, "--int8");
        assertThat(run.exitCode()).isNotZero();
        assertThat(run.err()).contains("needs calibration images: --calib DIR");
        Files.writeString(calib.resolve("notes.txt"), "not a picture");
        CliRun stray = CliRun.of("quantize", model, "--calib", calib.toString(), "-o", dir.resolve("y.onnx").toString());
        assertThat(stray.exitCode()).isNotZero();
        assertThat(stray.err()).contains("notes.txt").contains("not an image").doesNotContain("\tat ");
        CliRun method = CliRun.of("quantize", model, "--calib", calib.toString(), "--method", "median", "-o",
                dir.resolve("z.onnx").toString());
        assertThat(method.err()).contains("unknown calibration method 'median'");
    }

    private String firstPng() {
        try (var s = Files.list(calib)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".png")).sorted().findFirst()
                    .orElseThrow();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
