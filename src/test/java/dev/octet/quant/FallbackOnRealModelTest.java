package dev.octet.quant;

import static org.assertj.core.api.Assertions.assertThat;

import dev.octet.CompileOptions;
import dev.octet.data.Preprocessing;
import dev.octet.data.TextRenderer;
import dev.octet.frontend.onnx.OnnxImporter;
import dev.octet.ir.Graph;
import dev.octet.testing.TestData;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PP-OCR's orientation classifier through {@link PostTrainingQuantizer} with bias correction and the fallback on
 * rendered text lines (12: the last 4 held out): every int8 conv's bias is corrected (and none without the
 * option), and the all-int8 model already meets the default budget, so the fallback returns nothing and says so
 * in the summary.
 */
class FallbackOnRealModelTest {
    private static final List<String> LINES = List.of("Octet reads text", "int8 inside 2026", "QDQ and ORT",
            "Hello world 42", "calibration set", "held-out images", "bias correction", "PP-OCR v2.0 cls",
            "greedy fallback", "cosine 0.99", "mean input patch", "layer sensitivity");

    @Test
    void ppocrClassifierWithBiasCorrectionMeetsTheDefaultBudget(@TempDir Path dir) throws IOException {
        for (int i = 0; i < LINES.size(); i++) {
            ImageIO.write(TextRenderer.withDefaultFont().line(LINES.get(i), 48), "png",
                    dir.resolve(String.format("line%02d.png", i)).toFile());
        }
        Graph g = OnnxImporter.load(TestData.ppocr("ch_ppocr_mobile_v2.0_cls_infer.onnx")).graph();
        CalibrationImages images = CalibrationImages.fromDirectory(dir, Preprocessing.ppocrCls());
        CompileOptions compile = CompileOptions.defaults();
        PostTrainingQuantizer q = PostTrainingQuantizer.defaults().withCalibrator(Calibrator.defaults().quiet()
                .withCacheDir(null)).withCompileOptions(compile).withFallback(FloatFallback.defaults().quiet()
                .withHeldOutImages(4));
        QuantizedModel corrected = q.withOptions(QuantizeOptions.defaults().withBiasCorrection(true))
                .quantize(g, images);
        QuantizedModel plain = q.withOptions(QuantizeOptions.defaults()).quantize(g, images);

        List<LayerSummary> convs = corrected.summary().layers().stream().filter(l -> l.int8()
                && l.opType().equals("Conv")).toList();
        assertThat(convs).hasSizeGreaterThan(40).allMatch(l -> l.biasShift() != null);
        assertThat(convs).anyMatch(l -> l.maxBiasShift() > 0);
        assertThat(plain.summary().layers()).allMatch(l -> l.biasShift() == null);
        for (QuantizedModel m : List.of(corrected, plain)) {
            assertThat(m.summary().notes()).anyMatch(n -> n.startsWith("fallback: budget mean output cosine >= 0.99 "
                    + "on 4 held-out input(s)") && n.contains("with 0 layer(s) in float [] (met)"));
            assertThat(m.summary().layers()).noneMatch(l -> l.reason().startsWith("fallback:"));
        }
    }
}
