package dev.octet.pass;

import static org.assertj.core.api.Assertions.assertThat;

import dev.octet.frontend.onnx.OnnxImporter;
import dev.octet.ir.DataType;
import dev.octet.ir.Graph;
import dev.octet.ir.Node;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.testing.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The whole pipeline on real models: the optimised graph computes what the original computes, and how much smaller
 * it is. Node counts and memory plans are appended to target/pass-pipeline.txt.
 */
class PassPipelineTest {
    @Test
    void optimisesPpOcrV4RecognitionWithoutChangingItsOutputs() {
        Graph original = OnnxImporter.load(TestData.ppocr("ch_PP-OCRv4_rec_infer.onnx")).graph();
        Tensor image = image(1, 3, 48, 320);
        PassPipeline.Result r = new PassPipeline(Map.of("x", image.type())).run(original);
        report("ch_PP-OCRv4_rec_infer.onnx", image.type(), original, r);
        double error = PassAssertions.assertCloseOutputs(original, r.graph(), Map.of("x", image), 1e-4);
        report("  largest output error relative to the output's magnitude: " + error);
        assertThat(r.graph().nodes().size()).isLessThan(original.nodes().size() / 2);
        assertThat(r.graph().nodes()).noneMatch(n -> n.opType().equals("Conv") || n.opType().equals("Shape"));
    }

    @ParameterizedTest
    @CsvSource({"ch_PP-OCRv4_det_infer.onnx, 640, 640", "ch_PP-OCRv3_det_infer.onnx, 640, 640",
        "ch_PP-OCRv3_rec_infer.onnx, 48, 320", "ch_ppocr_mobile_v2.0_cls_infer.onnx, 48, 192"})
    void plansMemoryForPpOcrModels(String model, int height, int width) {
        Graph original = OnnxImporter.load(TestData.ppocr(model)).graph();
        TensorType input = TensorType.of(DataType.FLOAT, 1, 3, height, width);
        PassPipeline.Result r = new PassPipeline(Map.of("x", input)).run(original);
        report(model, input, original, r);
        assertThat(r.plan().arenaBytes()).isLessThan(r.plan().unsharedBytes() / 2);
    }

    /** A fixed pseudo-random image in [-1, 1], the range of PP-OCR's normalised inputs. */
    private static Tensor image(int... shape) {
        Random random = new Random(2024);
        float[] v = new float[dev.octet.ir.Shapes.size(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return Tensor.ofFloats(shape, v);
    }

    private static void report(String model, TensorType input, Graph original, PassPipeline.Result r) {
        StringBuilder sb = new StringBuilder(model).append(" at ").append(input).append('\n');
        sb.append("  nodes ").append(original.nodes().size()).append(" -> ").append(r.graph().nodes().size())
                .append("; per pass:");
        r.steps().forEach(s -> sb.append(' ').append(s.pass()).append('=').append(s.nodesAfter()));
        sb.append("\n  ops after: ").append(histogram(r.graph()));
        sb.append("\n  memory plan: ").append(r.plan());
        report(sb.toString());
    }

    private static String histogram(Graph g) {
        Map<String, Long> h = new TreeMap<>(g.nodes().stream().collect(Collectors.groupingBy(
                (Node n) -> (n.domain().isEmpty() ? "" : n.domain() + ".") + n.opType(), Collectors.counting())));
        return h.toString();
    }

    private static synchronized void report(String line) {
        System.out.println(line);
        try {
            Path out = TestData.repoRoot().resolve("target/pass-pipeline.txt");
            Files.createDirectories(out.getParent());
            Files.writeString(out, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
