package dev.octet.quant;

import static org.assertj.core.api.Assertions.assertThat;

import dev.octet.data.ModelFamily;
import dev.octet.data.Preprocessing;
import dev.octet.data.TextRenderer;
import dev.octet.frontend.onnx.OnnxImporter;
import dev.octet.ir.Graph;
import dev.octet.ir.Model;
import dev.octet.ir.Node;
import dev.octet.ir.Tensor;
import dev.octet.pass.FoldBatchNorm;
import dev.octet.pass.FoldConstants;
import dev.octet.pass.FoldScaleShift;
import dev.octet.pass.PassPipeline;
import dev.octet.pass.RemoveExportNoise;
import dev.octet.testing.TestData;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PP-OCR's text orientation classifier, calibrated end to end as {@code octet quantize} will: its simplified fp32
 * graph (BatchNorm and bias Adds folded, no fusion), rendered text lines in a directory, the family's preprocessing, every
 * Conv, activation and Add output observed, and a range from each of the five methods.
 */
class CalibrationOfRealModelTest {
    private static final List<String> LINES = List.of("Octet 2026: int8, fast & exact.", "校准图像 calibration",
            "ABC-123 xyz/789 (ok)", "The quick brown fox");

    @TempDir
    Path tmp;

    @Test
    void everyMethodGivesARangeForEveryTensorOfTheClassifier() throws IOException {
        Model model = OnnxImporter.load(TestData.ppocr("ch_ppocr_mobile_v2.0_cls_infer.onnx"));
        Graph g = new PassPipeline(List.of(new FoldConstants(), new RemoveExportNoise(), new FoldConstants(),
                new FoldBatchNorm(), new FoldScaleShift())).apply(model.graph());
        TextRenderer renderer = TextRenderer.withDefaultFont();
        for (int i = 0; i < LINES.size(); i++) {
            ImageIO.write(renderer.line(LINES.get(i), 40 + 8 * i), "png", tmp.resolve("line" + i + ".png").toFile());
        }
        String input = g.inputs().getFirst().name();
        Preprocessing p = ModelFamily.of(model).preprocessing(g.inputs().getFirst().type());
        CalibrationImages images = CalibrationImages.fromDirectory(tmp, p);
        Set<String> tensors = new LinkedHashSet<>(List.of(input));
        for (Node n : g.nodes()) {
            if (List.of("Conv", "Relu", "HardSwish", "Add", "Mul").contains(n.opType())) {
                tensors.add(n.outputs().getFirst());
            }
        }
        long start = System.nanoTime();
        Map<String, TensorStatistics> stats = Calibrator.defaults().quiet().withCacheDir(null).collect(g, tensors,
                images, CalibratorTest.OPTIONS);
        System.out.printf("calibrated %d tensors of %s on %d images in %.0f ms%n", tensors.size(), g.name(),
                images.size(), (System.nanoTime() - start) / 1e6);
        assertThat(stats).hasSize(tensors.size());
        Tensor x = images.tensor(0);
        assertThat(stats.get(input).count()).isEqualTo((long) LINES.size() * x.size());
        for (CalibrationMethod m : CalibrationMethod.values()) {
            start = System.nanoTime();
            Map<String, TensorRange> ranges = Calibrator.ranges(stats, m.observer());
            System.out.printf("%s: %d ranges in %.0f ms%n", m, ranges.size(), (System.nanoTime() - start) / 1e6);
            ranges.forEach((name, r) -> {
                TensorStatistics s = stats.get(name);
                assertThat(r.max()).as(m + " " + name).isGreaterThanOrEqualTo(0).isGreaterThan(r.min());
                assertThat(r.min()).as(m + " " + name).isLessThanOrEqualTo(0);
                if (s.isNonNegative()) {
                    assertThat(r.min()).as(m + " " + name).isZero();
                }
                if (m == CalibrationMethod.POW2) {
                    assertThat(r.max()).as(name).isGreaterThanOrEqualTo(s.maxAbs());
                } else {
                    assertThat(Math.max(r.max(), -r.min())).as(m + " " + name).isLessThanOrEqualTo(s.maxAbs());
                }
            });
        }
        long clipped = tensors.stream().filter(t -> new KlDivergenceObserver().range(stats.get(t)).max()
                < 0.99 * stats.get(t).maxAbs()).count();
        System.out.printf("KL clips %d of %d tensors below 99%% of their max|x|%n", clipped, tensors.size());
    }

    @Test
    void blazeFaceOnRealPhotosInItsNhwcRgbPreprocessing() throws IOException {
        Model model = OnnxImporter.load(TestData.blazeface("face_detection_front_128x128_barracuda.onnx"));
        Graph g = new PassPipeline(List.of(new FoldConstants(), new RemoveExportNoise(), new FoldConstants(),
                new FoldBatchNorm(), new FoldScaleShift())).apply(model.graph());
        List<Path> photos = TestData.photos().subList(0, 3);
        for (Path photo : photos) {
            java.nio.file.Files.copy(photo, tmp.resolve(photo.getFileName()));
        }
        Preprocessing p = ModelFamily.of(model).preprocessing(g.inputs().getFirst().type());
        assertThat(p.nhwc()).isTrue();
        Set<String> tensors = new LinkedHashSet<>();
        g.nodes().stream().filter(n -> List.of("Conv", "Relu", "Add").contains(n.opType()))
                .forEach(n -> tensors.add(n.outputs().getFirst()));
        tensors.add(g.inputs().getFirst().name());
        Map<String, TensorStatistics> stats = Calibrator.defaults().quiet().withCacheDir(null).collect(g, tensors,
                CalibrationImages.fromDirectory(tmp, p), CalibratorTest.OPTIONS);
        TensorStatistics in = stats.get(g.inputs().getFirst().name());
        assertThat(in.min()).isGreaterThanOrEqualTo(-1f);
        assertThat(in.max()).isLessThanOrEqualTo(1f);
        assertThat(in.count()).isEqualTo(3L * 128 * 128 * 3);
        Map<String, TensorRange> kl = Calibrator.ranges(stats, CalibrationMethod.KL.observer());
        kl.forEach((name, r) -> assertThat(Math.max(r.max(), -r.min())).as(name)
                .isBetween(0f, stats.get(name).maxAbs()));
    }
}
