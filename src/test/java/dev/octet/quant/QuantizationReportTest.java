package dev.octet.quant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.octet.build.ModelCompiler;
import dev.octet.data.Preprocessing;
import dev.octet.ir.Graph;
import dev.octet.ir.Tensor;
import dev.octet.report.ReportPage;
import dev.octet.runtime.ReferenceInterpreter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quantization report of the synthetic model, end to end through the Java API: calibrate and quantize, measure
 * every quantized layer's error with the compiled fp32 and int8 models, write the HTML page and its JSON.
 */
class QuantizationReportTest {
    @TempDir
    static Path tmp;
    static Graph fp32;
    static QuantizedModel quantized;
    static QuantizationReport report;
    static CalibrationImages images;

    @BeforeAll
    static void quantizeAndMeasure() throws Exception {
        images = CalibrationImages.fromDirectory(CalibratorTest.images(tmp.resolve("calib"), 0, 5),
                Preprocessing.generic(16, 16, false, 3));
        PostTrainingQuantizer ptq = PostTrainingQuantizer.defaults()
                .withCalibrator(Calibrator.defaults().quiet().withCacheDir(null))
                .withCompileOptions(CalibratorTest.OPTIONS);
        fp32 = SyntheticModel.build();
        quantized = ptq.quantize(fp32, images);
        report = QuantizationReport.measure("synthetic", fp32, quantized, ptq, images, 3, "5 test images");
    }

    private static List<LayerReport> quantizedLayers() {
        return report.layers().stream().filter(l -> l.summary().int8() && l.output() != null).toList();
    }

    @Test
    void measuresEveryQuantizedLayerAndTheInput() {
        assertThat(report.layers()).hasSameSizeAs(quantized.summary().layers());
        assertThat(quantizedLayers()).isNotEmpty().allSatisfy(l -> {
            assertThat(l.error()).as(l.summary().name()).isNotNull();
            assertThat(l.error().count()).isPositive();
            assertThat(l.error().count() % 3).as("pooled over 3 images").isZero();
            assertThat(l.error().cosine()).as(l.summary().name()).isGreaterThan(0.98);
            assertThat(l.error().sqnrDb()).as(l.summary().name()).isGreaterThan(15);
            assertThat(l.observedMax()).isNotNull();
        });
        assertThat(report.layers()).filteredOn(l -> l.output() == null).allSatisfy(l -> assertThat(l.error()).isNull());
        assertThat(report.inputs()).extracting(TensorError::tensor).containsExactly("x");
        assertThat(report.outputs()).extracting(TensorError::tensor).containsExactly("y");
        assertThat(report.outputs().getFirst().cosine()).isGreaterThan(0.99);
        assertThat(report.measuredImages()).isEqualTo(3);
    }

    /** The compiled int8 model's error is the QDQ graph's (reference interpreter) to within int8 rounding. */
    @Test
    void errorsAgreeWithTheReferenceQdqGraph() {
        Graph simplified = ModelCompiler.simplifyForQuantization(fp32);
        Map<String, ErrorMeter> meters = new java.util.LinkedHashMap<>();
        Set<String> dq = new HashSet<>();
        for (LayerReport l : quantizedLayers()) {
            dq.add(l.output().tensor() + "_dequantized");
        }
        for (int i = 0; i < 3; i++) {
            Map<String, Tensor> in = Map.of("x", images.tensor(i));
            Map<String, Tensor> ref = new ReferenceInterpreter(simplified).run(in, new HashSet<>(
                    quantizedLayers().stream().map(l -> l.output().tensor()).toList()));
            Map<String, Tensor> q = new ReferenceInterpreter(quantized.qdq()).run(in, dq);
            for (LayerReport l : quantizedLayers()) {
                String t = l.output().tensor();
                meters.computeIfAbsent(t, ErrorMeter::new).add(ref.get(t).floats(), q.get(t + "_dequantized").floats());
            }
        }
        for (LayerReport l : quantizedLayers()) {
            TensorError expected = meters.get(l.output().tensor()).result();
            assertThat(l.error().sqnrDb()).as(l.summary().name()).isCloseTo(expected.sqnrDb(), within(1.0));
            assertThat(l.error().cosine()).as(l.summary().name()).isCloseTo(expected.cosine(), within(1e-3));
        }
    }

    @Test
    void theReportsFolderIsCreatedWhereItDoesNotExist() throws Exception {
        Path html = tmp.resolve("not/yet/report.html");
        Path json = ReportPage.write(report, html);
        assertThat(html).isRegularFile();
        assertThat(json).isEqualTo(tmp.resolve("not/yet/report.json")).isRegularFile();
    }

    @Test
    void htmlPageIsSelfContainedWithAPlotPerFigure() throws Exception {
        Path html = tmp.resolve("report.html");
        Path json = ReportPage.write(report, html);
        String page = Files.readString(html);
        int plots = page.split("<svg", -1).length - 1;
        int histograms = Math.min(QuantizationReport.DEFAULT_HISTOGRAMS, quantizedLayers().size());
        assertThat(report.histograms()).hasSize(histograms);
        assertThat(plots).isEqualTo(1 + histograms); // the error bars, then one histogram per worst layer
        for (LayerSummary l : quantized.summary().layers()) {
            assertThat(page).contains(l.name());
        }
        assertThat(page).doesNotContain("http://", "https://", "<script", "<link", "src=");
        assertThat(page).startsWith("<!DOCTYPE html>").contains("<style>").contains("5 test images");
        assertThat(json.getFileName().toString()).isEqualTo("report.json");
    }

    @Test
    void jsonListsEveryLayer() throws Exception {
        JsonNode root = new ObjectMapper().readTree(report.toJson());
        List<String> names = new ArrayList<>();
        root.get("layers").forEach(l -> names.add(l.get("summary").get("name").asText()));
        assertThat(names).containsExactlyElementsOf(quantized.summary().layers().stream().map(LayerSummary::name)
                .toList());
        JsonNode worst = root.get("histograms").get(0);
        assertThat(worst.get("counts")).hasSize(QuantizationReport.HISTOGRAM_BINS);
        assertThat(root.get("layers").get(0).has("error")).isTrue();
        assertThat(root.get("metrics")).isEmpty();
    }

    @Test
    void histogramsAreOfTheWorstLayersWorstFirst() {
        List<String> worst = report.worst(report.histograms().size()).stream().map(l -> l.output().tensor()).toList();
        assertThat(report.histograms()).extracting(ActivationHistogram::tensor).containsExactlyElementsOf(worst);
        double previous = Double.NEGATIVE_INFINITY;
        for (LayerReport l : report.worst(100)) {
            assertThat(l.error().sqnrDb()).isGreaterThanOrEqualTo(previous);
            previous = l.error().sqnrDb();
        }
    }

    @Test
    void metricsAppearOnThePage() {
        QuantizationReport withMetrics = report.withMetrics(List.of(new QuantizationReport.EndTaskMetric(
                "character accuracy %", 93.25, 92.5)));
        String page = ReportPage.render(withMetrics);
        assertThat(page).contains("character accuracy %").contains("93.250").contains("92.500").contains("0.750");
    }
}
