package dev.octet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.octet.codegen.c.CCompiler;
import dev.octet.data.CtcDecoder;
import dev.octet.data.Images;
import dev.octet.data.Preprocessing;
import dev.octet.data.TextRenderer;
import dev.octet.ir.Attribute;
import dev.octet.ir.DataType;
import dev.octet.ir.Dim;
import dev.octet.ir.Graph;
import dev.octet.ir.Model;
import dev.octet.ir.Node;
import dev.octet.ir.OctetException;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.Value;
import dev.octet.runtime.CompiledModel;
import dev.octet.testing.TestData;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CompiledModel.run on images: through the preprocessing declared in CompileOptions or, where none is, the
 * convention of the model's family; a preprocessing that does not fit the input is refused with the reason.
 */
class ImageRunTest {
    private static final CompileOptions REFERENCE = CompileOptions.defaults()
            .withBackend(CompileOptions.Backend.REFERENCE);

    @TempDir
    Path dir;

    /** A 1x1 convolution from 3 channels to 2 on an NCHW input of the given height and width. */
    private static Model conv(Dim h, Dim w) {
        return conv(Dim.of(1), h, w);
    }

    private static Model conv(Dim n, Dim h, Dim w) {
        TensorType x = new TensorType(DataType.FLOAT, List.of(n, Dim.of(3), h, w));
        Tensor weights = Tensor.ofFloats(new int[] {2, 3, 1, 1}, 1, 2, 3, -1, 0, 1);
        Node conv = Node.of("c", "Conv", List.of("x", "w"), List.of("y"), Attribute.of("kernel_shape", 1L, 1));
        TensorType y = new TensorType(DataType.FLOAT, List.of(n, Dim.of(2), h, w));
        return Model.of(new Graph("conv", List.of(new Value("x", x)), List.of(new Value("y", y)), List.of(conv),
                Map.of("w", weights), Map.of(), Map.of("", 13)));
    }

    private static BufferedImage gradient(int width, int height) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                img.setRGB(x, y, (x * 20) << 16 | (y * 30) << 8 | (x + y) * 7);
            }
        }
        return img;
    }

    @Test
    void aDeclaredPreprocessingTurnsImagesIntoTheInputAsImagesToTensorDoes() {
        Preprocessing p = Preprocessing.generic(8, 8, false, 3);
        try (CompiledModel m = Octet.compile(conv(Dim.symbol("n"), Dim.of(8), Dim.of(8)),
                REFERENCE.withPreprocessing(p))) {
            assertThat(m.preprocessing()).contains(p);
            BufferedImage img = gradient(11, 9);
            Tensor expected = m.run(Map.of("x", Images.toTensor(img, p, 1))).get("y");
            assertThat(m.run(img).get("y").sameAs(expected)).isTrue();
            List<BufferedImage> two = List.of(img, gradient(8, 8));
            Tensor batch = m.run(two).get("y");
            assertThat(batch.shape()).containsExactly(2, 2, 8, 8);
            assertThat(batch.sameAs(m.run(Map.of("x", Images.toTensor(two, p))).get("y"))).isTrue();
        }
    }

    @Test
    void anImageModelOfNoKnownFamilyAsksForAPreprocessingRatherThanGuessingOne() {
        try (CompiledModel m = Octet.compile(conv(Dim.of(8), Dim.of(8)), REFERENCE)) {
            assertThat(m.preprocessing()).isEmpty();
            assertThatThrownBy(() -> m.run(gradient(8, 8))).isInstanceOf(OctetException.class)
                    .hasMessageContaining("no preprocessing for input 'x' f32[1,3,8,8]")
                    .hasMessageContaining("CompileOptions.withPreprocessing");
        }
    }

    @Test
    void aPreprocessingThatDoesNotFitTheInputIsRefusedAtCompileNamingBoth() {
        Model m = conv(Dim.of(8), Dim.of(8));
        assertThatThrownBy(() -> Octet.compile(m, REFERENCE.withPreprocessing(Preprocessing.mlsd(8))))
                .isInstanceOf(OctetException.class)
                .hasMessageContaining("input 'x' f32[1,3,8,8] does not fit the preprocessing NHWC RGBA 8x8")
                .hasMessageContaining("its axis 3 (channels in NHWC) is 8, the preprocessing gives 4 channels");
        assertThatThrownBy(() -> Octet.compile(m, REFERENCE.withPreprocessing(Preprocessing.generic(16, 8, false,
                3)))).isInstanceOf(OctetException.class)
                .hasMessageContaining("the input is 8x8 (height x width), the preprocessing makes 16x8");
    }

    @Test
    void aSizeThatOnlyTheImageDecidesIsCheckedWhenTheImageComes() {
        Preprocessing limit = Preprocessing.ppocrDet(64); // sides rounded to multiples of 32
        try (CompiledModel m = Octet.compile(conv(Dim.of(32), Dim.symbol("w")), REFERENCE.withPreprocessing(limit))) {
            assertThat(m.run(gradient(60, 30)).get("y").shape()).containsExactly(1, 2, 32, 64);
            assertThatThrownBy(() -> m.run(gradient(40, 64))).isInstanceOf(OctetException.class)
                    .hasMessageContaining("the input is 32xw (height x width), the preprocessing makes 64x32");
        }
    }

    @Test
    void aKnownFamilyBringsItsConventionToACompileAndToItsBundle() {
        assumeTrue(CCompiler.find() != null, "no C compiler on this machine");
        Path file = TestData.blazeface("face_detection_front_128x128_barracuda.onnx");
        Model model = Octet.load(file);
        BufferedImage photo = Images.load(TestData.require(TestData.photos().getFirst()));
        Path bundle = dir.resolve("face.octet");
        Tensor direct;
        try (CompiledModel m = Octet.compile(model, CompileOptions.defaults().withThreads(1))) {
            assertThat(m.preprocessing()).contains(Preprocessing.blazeface(128));
            String input = m.graph().inputs().getFirst().name();
            direct = m.run(Map.of(input, Images.toTensor(photo, Preprocessing.blazeface(128), 1))).firstEntry()
                    .getValue();
            assertThat(m.run(photo).firstEntry().getValue().sameAs(direct)).isTrue();
            Octet.save(m, model, bundle);
        }
        try (CompiledModel loaded = Octet.loadCompiled(bundle, CompileOptions.defaults().withThreads(1))) {
            assertThat(loaded.preprocessing()).contains(Preprocessing.blazeface(128));
            assertThat(loaded.run(photo).firstEntry().getValue().sameAs(direct)).isTrue();
        }
    }

    @Test
    void thePpOcrRecognizerReadsARenderedLineGivenAsAnImage() throws Exception {
        assumeTrue(CCompiler.find() != null, "no C compiler on this machine");
        String text = "Hello Octet 42";
        BufferedImage line = TextRenderer.withDefaultFont().line(text, 96);
        try (CompiledModel m = Octet.compile(Octet.load(TestData.ppocr("ch_PP-OCRv4_rec_infer.onnx")),
                CompileOptions.defaults())) {
            assertThat(m.preprocessing()).contains(Preprocessing.ppocrRec()); // 48 high, as wide as the line needs
            Tensor probs = m.run(line).firstEntry().getValue();
            CtcDecoder decoder = CtcDecoder.fromLines(Files.readString(TestData.ppocrKeys()));
            assertThat(decoder.decode(probs).getFirst().text()).isEqualTo(text);
        }
    }
}
