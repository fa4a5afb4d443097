package dev.octet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.octet.frontend.onnx.OnnxWriter;
import dev.octet.quant.SyntheticModel;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `bench --int8` and `compare --int8` on a small conv model built in code, calibrated on a few random PNGs: the
 * int8 result agrees with ONNX Runtime on the same QDQ export, ORT really runs QLinearConv, every JSON field is
 * there. Never asserts on speed.
 */
class Int8BenchCompareTest {
    @TempDir
    static Path dir;
    static Path model;
    static Path calib;

    @BeforeAll
    static void writeModelAndImages() throws IOException {
        model = dir.resolve("synthetic.onnx");
        OnnxWriter.write(SyntheticModel.build(), model);
        calib = Files.createDirectories(dir.resolve("calib"));
        for (int i = 0; i < 4; i++) {
            Random r = new Random(i);
            BufferedImage img = new BufferedImage(20 + i, 18 + 3 * i, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < img.getHeight(); y++) {
                for (int x = 0; x < img.getWidth(); x++) {
                    img.setRGB(x, y, r.nextInt(1 << 24));
                }
            }
            ImageIO.write(img, "png", calib.resolve("img" + i + ".png").toFile());
        }
    }

    @Test
    void benchInt8ReportsAllThreeTimesTheRatiosAndARivalThatIsReallyInt8() throws Exception {
        CliRun r = CliRun.of("bench", model.toString(), "--int8", "--calib", calib.toString(), "--no-calib-cache",
                "--runs", "2", "--warmup", "1", "--warmup-seconds", "0", "--json");
        assertThat(r.exitCode()).as(r.err() + r.out()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.out());
        for (String key : new String[] {"octet_ms", "ort_fp32_ms", "ort_int8_ms", "ratio_vs_ort_fp32",
                "ratio_vs_ort_int8", "max_rel_err_vs_fp32", "cosine_vs_fp32", "int8_elements"}) {
            assertThat(j.get(key).asDouble()).as(key).isPositive();
        }
        assertThat(j.get("ratio_vs_ort_int8").asDouble()).isCloseTo(j.get("ort_int8_ms").asDouble()
                / j.get("octet_ms").asDouble(), org.assertj.core.data.Percentage.withPercentage(1e-6));
        assertThat(j.get("ort_qlinearconv_nodes").asInt()).isPositive();
        // A network this shallow has no depth for one-unit differences to grow: its last int8 tensor is within one.
        assertThat(j.get("int8_off_by_more").asLong()).isZero();
        assertThat(j.get("int8_max_units").asLong()).isLessThanOrEqualTo(1);
        assertThat(j.get("int8_isolated_checks").asInt()).isPositive();
        assertThat(j.get("int8_isolated_off_by_more").asInt()).isZero();
        assertThat(j.get("max_rel_err_vs_ort_int8").asDouble()).isLessThan(j.get("max_rel_err_vs_fp32").asDouble());
        // int8 is an approximation of fp32, not a wrong answer: the outputs point the same way.
        assertThat(j.get("cosine_vs_fp32").asDouble()).isGreaterThan(0.9);
    }

    @Test
    void compareInt8AgreesWithOnnxRuntimeOnTheSameQdqModel() throws Exception {
        CliRun text = CliRun.of("compare", model.toString(), "--int8", "--calib", calib.toString());
        assertThat(text.exitCode()).as(text.err() + text.out()).isZero();
        assertThat(text.out()).contains("off by one unit").contains("cosine").contains("within one unit")
                .doesNotContain("tensor   ");
        CliRun every = CliRun.of("compare", model.toString(), "--int8", "--calib", calib.toString(),
                "--every-tensor");
        assertThat(every.exitCode()).as(every.err()).isZero();
        assertThat(every.out()).contains("tensor   ").contains("of x_quantized: ");
        CliRun json = CliRun.of("compare", model.toString(), "--int8", "--calib", calib.toString(), "--json");
        assertThat(json.exitCode()).as(json.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(json.out());
        assertThat(j.get("agree").asBoolean()).isTrue();
        assertThat(j.get("int8_elements").asLong()).isPositive();
        assertThat(j.get("int8_tensors").size()).isPositive();
        assertThat(j.get("int8_isolated_off_by_more").size()).isZero();
    }

    @Test
    void aGivenQdqModelIsComparedAsItIsWithoutFp32() throws Exception {
        Path qdq = dir.resolve("synthetic_qdq.onnx");
        CliRun q = CliRun.of("quantize", model.toString(), "--calib", calib.toString(), "-o", qdq.toString());
        assertThat(q.exitCode()).as(q.err()).isZero();
        CliRun r = CliRun.of("compare", qdq.toString(), "--int8", "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.get("agree").asBoolean()).isTrue();
        assertThat(j.get("cosine_vs_fp32").isNull()).isTrue();
    }

    @Test
    void benchOfAQdqModelWithoutInt8BenchmarksItAsInt8() throws Exception {
        Path qdq = dir.resolve("synthetic_qdq_bench.onnx");
        CliRun q = CliRun.of("quantize", model.toString(), "--calib", calib.toString(), "-o", qdq.toString());
        assertThat(q.exitCode()).as(q.err()).isZero();
        CliRun r = CliRun.of("bench", qdq.toString(), "--runs", "2", "--warmup", "0", "--warmup-seconds", "0",
                "--json");
        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        assertThat(r.err()).contains("is quantized: benchmarking it as int8");
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.get("ratio_vs_ort_int8").asDouble()).isPositive();
    }

    @Test
    void aFloatModelWithoutCalibrationImagesIsOneClearError() {
        for (String command : new String[] {"bench", "compare"}) {
            CliRun r = CliRun.of(command, model.toString(), "--int8");
            assertThat(r.exitCode()).as(command).isEqualTo(1);
            assertThat(r.err()).startsWith("octet: error: ").contains("needs calibration images: --calib DIR")
                    .doesNotContain("Exception");
        }
    }

    @Test
    void compareWithoutInt8StillNeedsAgainst() {
        assertThat(CliRun.of("compare", model.toString()).exitCode()).isEqualTo(2);
    }

    @Test
    void aResultAgreesOnlyWithinOneUnitPerOperatorAndWithDriftBelowTheQuantizationError() {
        dev.octet.oracle.Int8Exactness last = dev.octet.oracle.Int8Exactness.empty(java.util.List.of("t"));
        java.util.List<dev.octet.oracle.Int8Exactness> none = java.util.List.of();
        assertThat(new Int8Check.Result(last, none, 3, java.util.List.of(), 1e-3, 1e-2, 0.99).agrees()).isTrue();
        Int8Check.Result offByTwo = new Int8Check.Result(last, none, 3, java.util.List.of("t"), 1e-3, 1e-2, 0.99);
        assertThat(offByTwo.agrees()).isFalse();
        assertThat(offByTwo.problem()).contains("[t] differ by more than one unit from identical int8 inputs");
        Int8Check.Result drift = new Int8Check.Result(last, none, 3, java.util.List.of(), 2e-2, 1e-2, 0.99);
        assertThat(drift.agrees()).isFalse();
        assertThat(drift.problem()).contains("more than int8 differs from fp32");
        // A QDQ model given as it is has no fp32 to compare with: the per-operator check decides alone.
        assertThat(new Int8Check.Result(last, none, 3, java.util.List.of(), 2e-2, Double.NaN, Double.NaN).agrees())
                .isTrue();
    }
}
