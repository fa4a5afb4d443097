package dev.octet.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.octet.frontend.onnx.OnnxImporter;
import dev.octet.ir.Model;
import dev.octet.ir.Tensor;
import dev.octet.runtime.ReferenceInterpreter;
import dev.octet.testing.TestData;
import java.awt.geom.AffineTransform;
import java.awt.image.AffineTransformOp;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The preprocessing, the rendering and the CTC decoding are right together: PP-OCR, run on Octet's reference
 * interpreter, reads back the text it was shown and tells upright text from text upside down.
 */
class TextModelsReadRenderedTextTest {
    private static final String TEXT = "Hello Octet 42";

    private static Tensor run(String modelFile, Tensor x) {
        Model m = OnnxImporter.load(TestData.ppocr(modelFile));
        return new ReferenceInterpreter(m.graph()).run(Map.of(m.graph().inputs().getFirst().name(), x)).values()
                .iterator().next();
    }

    @Test
    void ppocrV4RecognitionReadsARenderedLine() throws Exception {
        BufferedImage line = TextRenderer.withDefaultFont().line(TEXT, 96);
        Tensor probs = run("ch_PP-OCRv4_rec_infer.onnx", Images.toTensor(line, Preprocessing.ppocrRec(), 1));
        CtcDecoder decoder = CtcDecoder.fromLines(Files.readString(TestData.ppocrKeys()));
        CtcDecoder.Line read = decoder.decode(probs).getFirst();
        assertThat(read.text()).isEqualTo(TEXT);
        assertThat(read.confidence()).isGreaterThan(0.9);
    }

    @Test
    void theOrientationClassifierSeesUpsideDownText() {
        BufferedImage line = TextRenderer.withDefaultFont().line(TEXT, 96);
        AffineTransform rotate = AffineTransform.getQuadrantRotateInstance(2, line.getWidth() / 2.0,
                line.getHeight() / 2.0);
        BufferedImage flipped = new AffineTransformOp(rotate, AffineTransformOp.TYPE_NEAREST_NEIGHBOR)
                .filter(line, null);
        Tensor x = Images.toTensor(java.util.List.of(line, flipped), Preprocessing.ppocrCls());
        Tensor p = run("ch_ppocr_mobile_v2.0_cls_infer.onnx", x);
        assertThat(p.shape()).containsExactly(2, 2);
        assertThat(p.floats()[0]).as("upright: P(0°)").isGreaterThan(0.9f);
        assertThat(p.floats()[3]).as("upside down: P(180°)").isGreaterThan(0.9f);
    }
}
