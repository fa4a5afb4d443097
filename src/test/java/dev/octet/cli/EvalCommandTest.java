package dev.octet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.octet.testing.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `octet eval`: labelled OCR evaluation on rendered data, calibration images, agreement on photos. */
class EvalCommandTest {
    @TempDir
    Path dir;

    @Test
    void evaluatesTheBundledRecogniserAndReportsAccuracyWithAnInterval() throws Exception {
        CliRun r = CliRun.of("eval", "ocr-rec", "--samples", "6", "--clean", "--latin", "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.get("task").asText()).isEqualTo("ocr-rec");
        JsonNode chars = json.get("report").get("character_accuracy");
        assertThat(chars.get("value").asDouble()).isGreaterThan(0.8);
        assertThat(chars.get("ci95").get(0).asDouble()).isLessThanOrEqualTo(chars.get("value").asDouble());
        assertThat(json.get("report").get("lines").asInt()).isEqualTo(6);
    }

    @Test
    void aSecondModelIsEvaluatedOnTheSameLinesAndItsDropGetsAPairedInterval() throws Exception {
        dev.octet.ir.Model fp32 = dev.octet.Octet.load(TestData.ppocr("ch_ppocr_mobile_v2.0_cls_infer.onnx"));
        Path damaged = dir.resolve("damaged_cls.onnx");
        dev.octet.frontend.onnx.OnnxWriter.write(dev.octet.eval.ModelDamage.scaleConvWeights(fp32,
                dev.octet.eval.ModelDamage.convCount(fp32) / 4, 2), damaged);
        String model = TestData.ppocr("ch_ppocr_mobile_v2.0_cls_infer.onnx").toString();
        ObjectMapper mapper = new ObjectMapper();
        CliRun itself = CliRun.of("eval", "ocr-cls", model, "--samples", "40", "--against", model, "--json");
        assertThat(itself.exitCode()).as(itself.err()).isZero();
        JsonNode same = mapper.readTree(itself.out());
        assertThat(same.get("candidate_report").get("samples").asInt()).isEqualTo(40);
        assertThat(same.get("drop").get("drop").asDouble()).isZero();
        assertThat(same.get("drop").get("ci95").get(1).asDouble()).isZero();
        CliRun r = CliRun.of("eval", "ocr-cls", model, "--samples", "40", "--against", damaged.toString(), "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode drop = mapper.readTree(r.out()).get("drop");
        assertThat(drop.get("metric").asText()).isEqualTo("accuracy");
        assertThat(drop.get("ci95").get(0).asDouble()).as("the damage is a real drop: %s", drop).isPositive();
    }

    @Test
    void writesCalibrationImagesWithLabels() throws Exception {
        Path out = dir.resolve("calib");
        CliRun r = CliRun.of("eval", "ocr-cls", "--write-calib", out.toString(), "--samples", "5");
        assertThat(r.exitCode()).as(r.err()).isZero();
        try (Stream<Path> s = Files.list(out)) {
            assertThat(s.map(p -> p.getFileName().toString()).sorted().toList()).containsExactly("00000.png",
                    "00001.png", "00002.png", "00003.png", "00004.png", "labels.tsv");
        }
        List<String> labels = Files.readAllLines(out.resolve("labels.tsv"));
        assertThat(labels).hasSize(5).allMatch(l -> l.matches("0000\\d\\.png\t(0|180)"));
    }

    @Test
    void comparesBlazeFaceWithTheReferenceInterpreterOnPhotos() throws Exception {
        Path model = TestData.blazeface(TestData.BLAZEFACE_MODELS.getFirst());
        List<Path> photos = TestData.photos();
        org.junit.jupiter.api.Assumptions.assumeFalse(photos.isEmpty(), "no photos fetched");
        Path folder = Files.createDirectories(dir.resolve("photos"));
        Files.copy(photos.getFirst(), folder.resolve(photos.getFirst().getFileName()));
        CliRun r = CliRun.of("eval", "blazeface", model.toString(), "--images", folder.toString(), "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode outputs = new ObjectMapper().readTree(r.out()).get("report").get("outputs");
        assertThat(outputs).hasSize(4);
        for (JsonNode o : outputs) {
            assertThat(o.get("min_cosine").asDouble()).as(o.toString()).isGreaterThan(0.9999);
            assertThat(o.get("top_agreement").asDouble()).isGreaterThan(0.6);
        }
        assertThat(outputs.findValues("top_box_iou")).hasSize(2).allMatch(v -> v.asDouble() > 0.99);
    }

    @Test
    void anUnknownTaskOrMissingPhotosIsOneClearError() {
        CliRun r = CliRun.of("eval", "ocr-foo");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("unknown task 'ocr-foo'");
        CliRun noPhotos = CliRun.of("eval", "mlsd", TestData.mlsd(TestData.MLSD_MODELS.getFirst()).toString());
        assertThat(noPhotos.exitCode()).isEqualTo(1);
        assertThat(noPhotos.err()).contains("--images DIR is needed");
    }
}
