package dev.octet.zoo;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OrtException;
import dev.octet.frontend.onnx.OnnxWriter;
import dev.octet.ir.Graph;
import dev.octet.ir.Tensor;
import dev.octet.runtime.ReferenceInterpreter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Octet's reference interpreter and ONNX Runtime agree on MobileNetV2 (52 convolutions, depthwise ones among them)
 * at batch 1. The one zoo model run through the slow interpreter; skipped until every operator it uses is merged.
 */
class ZooReferenceTest {
    @TempDir
    Path dir;

    @Test
    void referenceInterpreterMatchesOnnxRuntimeOnMobileNetV2() throws OrtException {
        Graph g = MobileNetV2.build(Zoo.DEFAULT_SEED).graph();
        ZooTest.assumeOperatorsRegistered(g);
        Path file = dir.resolve("mobilenetv2.onnx");
        OnnxWriter.write(g, file);
        float[] expected = ZooOrtTest.runOrt(file, 1, 224, 3)[0];

        float[] input = ZooOrtTest.randomInput(1, 224, 3);
        Tensor x = Tensor.ofFloats(new int[] {1, 3, 224, 224}, input);
        Tensor logits = new ReferenceInterpreter(g).run(Map.of("input", x)).get("logits");

        assertThat(logits.shape()).containsExactly(1, 1000);
        float[] actual = logits.floats();
        double scale = 0;
        for (float v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        // Both sum fp32 products in different orders through 52 layers; 1e-4 of the largest logit is far above
        // that rounding noise and far below any real disagreement (a wrong pad or group changes logits by O(1)).
        for (int i = 0; i < expected.length; i++) {
            assertThat((double) actual[i]).as("logit %d", i).isCloseTo(expected[i],
                    org.assertj.core.data.Offset.offset(1e-4 * scale));
        }
    }
}
