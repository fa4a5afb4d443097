package dev.octet.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.octet.data.Images;
import dev.octet.data.ModelFamily;
import dev.octet.data.Preprocessing;
import dev.octet.data.TextRenderer;
import dev.octet.frontend.onnx.OnnxImporter;
import dev.octet.ir.Model;
import dev.octet.ir.Tensor;
import dev.octet.ir.Value;
import dev.octet.testing.TestData;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Octet's reference interpreter and ONNX Runtime agree on the eleven real models, each on a real input: photos
 * for the detectors, rendered text lines for the recognisers and the orientation classifier. Every output must be
 * within {@link Agreement#FLOAT_TOLERANCE} of ONNX Runtime's relative to the output's magnitude.
 *
 * <p>Each case appends a line (model, input, seconds, max_rel per output) to target/real-models-vs-ort.txt.
 * Models that take the reference interpreter more than about 20 s are tagged slow (run with -Pslow); each family
 * keeps at least one model in the default suite.
 */
class RealModelsAgreeWithOrtTest {
    private static final String LINE = "Octet reads text";
    private static final Path REPORT = TestData.repoRoot().resolve("target/real-models-vs-ort.txt");

    /** One model on one input. */
    record Case(String name, Supplier<Path> model, Supplier<BufferedImage> image, String inputDescription,
            int height, int width) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static BufferedImage photo(String fileName) {
        Path p = TestData.photos().stream().filter(f -> f.getFileName().toString().equals(fileName)).findFirst()
                .orElseGet(() -> TestData.require(TestData.root().resolve("missing-photo-" + fileName)));
        return Images.load(p);
    }

    /**
     * A photo with a sign on it: two lines of rendered text on white, a third of the photo wide. A text detector
     * shown a photo without text answers ~0 everywhere, so small that ONNX Runtime's approximate Sigmoid (which
     * flushes to 0 below about -16.3) dominates the comparison; with text the map spans 0..1 as in use.
     */
    private static BufferedImage photoWithText(String fileName) {
        BufferedImage photo = photo(fileName);
        BufferedImage out = new BufferedImage(photo.getWidth(), photo.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.drawImage(photo, 0, 0, null);
        BufferedImage sign = TextRenderer.withDefaultFont().page(List.of("OCTET", "int8 inside"), 64);
        int w = photo.getWidth() / 3;
        g.drawImage(sign, photo.getWidth() / 20, photo.getHeight() / 20, w, w * sign.getHeight() / sign.getWidth(),
                null);
        g.dispose();
        return out;
    }

    private static BufferedImage textLine() {
        return TextRenderer.withDefaultFont().line(LINE, 64);
    }

    private static Case ppocr(String file, Supplier<BufferedImage> image, String what, int h, int w) {
        return new Case(file, () -> TestData.ppocr(file), image, what, h, w);
    }

    private static Case blazeface(String file, int size) {
        return new Case(file, () -> TestData.blazeface(file), () -> photo("sample1.jpg"), "face-api sample1.jpg",
                size, size);
    }

    private static Case mlsd(String file, int size) {
        return new Case(file, () -> TestData.mlsd(file), () -> photo("dog.jpg"), "darknet dog.jpg", size, size);
    }

    static Stream<Arguments> fast() {
        return Stream.of(
                ppocr("ch_PP-OCRv3_det_infer.onnx", () -> photoWithText("person.jpg"), "person.jpg + sign", 320, 320),
                ppocr("ch_PP-OCRv4_det_infer.onnx", () -> photoWithText("person.jpg"), "person.jpg + sign", 320, 320),
                ppocr("ch_PP-OCRv3_rec_infer.onnx", RealModelsAgreeWithOrtTest::textLine, "rendered line", 48, 320),
                ppocr("ch_PP-OCRv4_rec_infer.onnx", RealModelsAgreeWithOrtTest::textLine, "rendered line", 48, 320),
                ppocr("ch_ppocr_mobile_v2.0_cls_infer.onnx", RealModelsAgreeWithOrtTest::textLine, "rendered line",
                        48, 192),
                blazeface(TestData.BLAZEFACE_MODELS.get(0), 128), blazeface(TestData.BLAZEFACE_MODELS.get(1), 256),
                mlsd("mlsd_320x320_tiny.onnx", 320), mlsd("mlsd_512x512_tiny.onnx", 512)).map(Arguments::of);
    }

    /** The large M-LSD models: 35 s and 100 s on the reference interpreter. */
    static Stream<Arguments> slow() {
        return Stream.of(mlsd("mlsd_320x320_large.onnx", 320), mlsd("mlsd_512x512_large.onnx", 512))
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fast")
    void agreesWithOnnxRuntime(Case c) throws IOException {
        check(c);
    }

    @Tag("slow")
    @ParameterizedTest(name = "{0}")
    @MethodSource("slow")
    void slowModelsAgreeWithOnnxRuntime(Case c) throws IOException {
        check(c);
    }

    private static void check(Case c) throws IOException {
        Path file = c.model().get();
        Model model = OnnxImporter.load(file);
        ModelFamily family = ModelFamily.of(model);
        Value input = model.graph().inputs().getFirst();
        Preprocessing p = ModelFamily.fixedSize(family.preprocessing(input.type()), c.height(), c.width());
        Tensor x = Images.toTensor(c.image().get(), p, 1);
        Map<String, Tensor> feeds = Map.of(input.name(), x);

        Comparison.Report report;
        try (Oracle oracle = Oracles.onnxRuntime(file, 1)) {
            report = Comparison.run(model.graph(), oracle, feeds, Agreement.FLOAT_TOLERANCE);
        }
        StringBuilder line = new StringBuilder(String.format("%-38s %-20s %-18s octet %6.1f s  ort %5.2f s",
                c.name(), c.inputDescription(), x.type(), report.octetSeconds(), report.oracleSeconds()));
        for (Agreement a : report.outputs()) {
            line.append(String.format("  %s max_rel %.2e%s", a.output(), a.maxRel(),
                    a.detail().isEmpty() ? "" : " (" + a.detail() + ")"));
        }
        Files.writeString(REPORT, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        for (Agreement a : report.outputs()) {
            assertThat(a.agree()).as("%s output %s: %s (max_abs %.3g)", c.name(), a.output(), a.detail(), a.maxAbs())
                    .isTrue();
        }
    }
}
