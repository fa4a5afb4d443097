package dev.octet.quant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.octet.CompileOptions;
import dev.octet.data.Preprocessing;
import dev.octet.ir.Attribute;
import dev.octet.ir.DataType;
import dev.octet.ir.Graph;
import dev.octet.ir.Node;
import dev.octet.ir.OctetException;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.Value;
import dev.octet.ir.op.ShapeInference;
import dev.octet.runtime.ReferenceInterpreter;
import dev.octet.verify.TestInputs;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Calibration over a directory of images: statistics of every tapped tensor (fused ones included), the same however
 * the images are split, cached so that a second run reads no image, and one clear error per kind of bad input.
 */
class CalibratorTest {
    static final CompileOptions OPTIONS = CompileOptions.defaults().withThreads(2)
            .withCacheDir(Path.of("target", "test-native-cache"));
    private static final Preprocessing PRE = Preprocessing.generic(8, 8, false, 3);
    private static final Set<String> TENSORS = Set.of("x", "c1", "a", "c2", "s");

    @TempDir
    Path tmp;

    /** Conv → ReLU → Conv + shortcut: without kept values c2 would be fused into the residual conv. */
    static Graph block() {
        Map<String, Tensor> w = Map.of("w1", random(new int[] {4, 3, 3, 3}, 1), "b1", random(new int[] {4}, 2),
                "w2", random(new int[] {4, 4, 1, 1}, 3));
        List<Node> nodes = List.of(
                Node.of("c1", "Conv", List.of("x", "w1", "b1"), List.of("c1"), Attribute.of("pads", 1L, 1L, 1L, 1L)),
                Node.of("a", "Relu", List.of("c1"), List.of("a")),
                Node.of("c2", "Conv", List.of("a", "w2"), List.of("c2")),
                Node.of("s", "Add", List.of("c2", "a"), List.of("s")));
        return graph(nodes, w, "s");
    }

    static Graph graph(List<Node> nodes, Map<String, Tensor> constants, String output) {
        List<Value> in = List.of(new Value("x", TensorType.of(DataType.FLOAT, 1, 3, 8, 8)));
        Graph draft = new Graph("block", in, in, nodes, constants, Map.of(), Map.of("", 14));
        TensorType t = ShapeInference.infer(draft, Map.of()).type(output);
        return new Graph("block", in, List.of(new Value(output, t)), nodes, constants, Map.of(), Map.of("", 14));
    }

    private static Tensor random(int[] shape, long seed) {
        int n = java.util.Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        return Tensor.ofFloats(shape, TestInputs.floats(TestInputs.Kind.RANDOM, n, seed));
    }

    /** A directory of random-pixel PNGs (sizes differ; the preprocessing stretches them to 8x8). */
    static Path images(Path dir, int from, int count) throws IOException {
        Files.createDirectories(dir);
        for (int i = from; i < from + count; i++) {
            Random r = new Random(i);
            BufferedImage img = new BufferedImage(10 + i, 9 + 2 * i, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < img.getHeight(); y++) {
                for (int x = 0; x < img.getWidth(); x++) {
                    img.setRGB(x, y, r.nextInt(1 << 24));
                }
            }
            ImageIO.write(img, "png", dir.resolve(String.format("img%02d.png", i)).toFile());
        }
        return dir;
    }

    private static Calibrator uncached() {
        return Calibrator.defaults().quiet().withCacheDir(null);
    }

    @Test
    void observesEveryTensorOnEveryImageAsTheReferenceComputesIt() throws IOException {
        Graph g = block();
        CalibrationImages images = CalibrationImages.fromDirectory(images(tmp.resolve("a"), 0, 3), PRE);
        Map<String, TensorStatistics> stats = uncached().collect(g, TENSORS, images, OPTIONS);
        assertThat(stats.keySet()).containsExactly("a", "c1", "c2", "s", "x");
        float[] min = {Float.MAX_VALUE, Float.MAX_VALUE};
        float[] max = {-Float.MAX_VALUE, -Float.MAX_VALUE};
        for (int i = 0; i < images.size(); i++) {
            Map<String, Tensor> ref = new ReferenceInterpreter(g).run(Map.of("x", images.tensor(i)), Set.of("c2"));
            for (float v : ref.get("c2").floats()) {
                min[0] = Math.min(min[0], v);
                max[0] = Math.max(max[0], v);
            }
            for (float v : images.tensor(i).floats()) {
                min[1] = Math.min(min[1], v);
                max[1] = Math.max(max[1], v);
            }
        }
        assertThat(stats.get("c2").min()).isCloseTo(min[0], within(1e-4f));
        assertThat(stats.get("c2").max()).isCloseTo(max[0], within(1e-4f));
        assertThat(stats.get("x").min()).isEqualTo(min[1]);
        assertThat(stats.get("x").max()).isEqualTo(max[1]);
        assertThat(stats.get("c1").count()).isEqualTo(3 * 4 * 8 * 8);
        assertThat(stats.get("a").isNonNegative()).isTrue();
        assertThat(stats.get("c1").isNonNegative()).isFalse();
        Map<String, TensorRange> ranges = Calibrator.ranges(stats, CalibrationMethod.KL.observer());
        assertThat(ranges.get("a").min()).isZero();
        // 768 values, too few for KL's histogram: the observed range
        TensorStatistics c1 = stats.get("c1");
        assertThat(ranges.get("c1")).isEqualTo(new TensorRange(Math.min(c1.min(), 0), Math.max(c1.max(), 0)));
    }

    @Test
    void theSameImagesGiveTheSameStatisticsHoweverTheyAreSplit() throws IOException {
        Graph g = block();
        Map<String, TensorStatistics> all = uncached().collect(g, TENSORS,
                CalibrationImages.fromDirectory(images(tmp.resolve("all"), 0, 3), PRE), OPTIONS);
        Map<String, TensorStatistics> first = uncached().collect(g, TENSORS,
                CalibrationImages.fromDirectory(images(tmp.resolve("first"), 0, 1), PRE), OPTIONS);
        Map<String, TensorStatistics> rest = uncached().collect(g, TENSORS,
                CalibrationImages.fromDirectory(images(tmp.resolve("rest"), 1, 2), PRE), OPTIONS);
        for (String t : TENSORS) {
            TensorStatistics merged = rest.get(t).copy();
            merged.merge(first.get(t));
            assertThat(merged.sameAs(all.get(t))).as(t).isTrue();
        }
    }

    @Test
    void aSecondRunReadsNoImageUntilAnImageChanges() throws IOException {
        Graph g = block();
        Path dir = images(tmp.resolve("imgs"), 0, 2);
        CalibrationImages images = CalibrationImages.fromDirectory(dir, PRE);
        Calibrator cached = Calibrator.defaults().quiet().withCacheDir(tmp.resolve("cache"));
        Map<String, TensorStatistics> first = cached.collect(g, TENSORS, images, OPTIONS);
        // garbage of the same length and time: the images' fingerprint is unchanged, their pixels are gone
        for (Path f : images.files()) {
            FileTime time = Files.getLastModifiedTime(f);
            Files.write(f, new byte[(int) Files.size(f)]);
            Files.setLastModifiedTime(f, time);
        }
        Map<String, TensorStatistics> second = cached.collect(g, TENSORS, images, OPTIONS);
        for (String t : TENSORS) {
            assertThat(second.get(t).sameAs(first.get(t))).as(t).isTrue();
        }
        Path changed = images.files().getFirst();
        Files.setLastModifiedTime(changed, FileTime.fromMillis(Files.getLastModifiedTime(changed).toMillis() + 5000));
        assertThatThrownBy(() -> cached.collect(g, TENSORS, images, OPTIONS)).isInstanceOf(OctetException.class)
                .hasMessageContaining("img00.png").hasMessageContaining("not an image");
    }

    @Test
    void anUnreadableCacheFileIsRecomputed() throws IOException {
        Graph g = block();
        CalibrationImages images = CalibrationImages.fromDirectory(images(tmp.resolve("imgs"), 0, 2), PRE);
        Path cacheDir = tmp.resolve("cache");
        Calibrator cached = Calibrator.defaults().quiet().withCacheDir(cacheDir);
        Map<String, TensorStatistics> first = cached.collect(g, TENSORS, images, OPTIONS);
        try (var files = Files.list(cacheDir)) {
            for (Path f : files.toList()) {
                Files.write(f, "not statistics".getBytes());
            }
        }
        Map<String, TensorStatistics> again = cached.collect(g, TENSORS, images, OPTIONS);
        assertThat(again.get("s").sameAs(first.get("s"))).isTrue();
        assertThat(cached.collect(g, Set.of("a"), images, OPTIONS).keySet()).containsExactly("a"); // another key
    }

    @Test
    void badDirectoriesAndFilesAreNamed() throws IOException {
        Graph g = block();
        assertThatThrownBy(() -> CalibrationImages.fromDirectory(tmp.resolve("none"), PRE))
                .hasMessageContaining("none does not exist");
        Files.createDirectories(tmp.resolve("empty"));
        assertThatThrownBy(() -> CalibrationImages.fromDirectory(tmp.resolve("empty"), PRE))
                .hasMessageContaining("empty holds no images");
        Path dir = images(tmp.resolve("mixed"), 0, 1);
        Files.writeString(dir.resolve("notes.txt"), "calibration photos");
        CalibrationImages mixed = CalibrationImages.fromDirectory(dir, PRE);
        assertThatThrownBy(() -> uncached().collect(g, TENSORS, mixed, OPTIONS)).isInstanceOf(OctetException.class)
                .hasMessageContaining("notes.txt: not an image");
    }

    @Test
    void preprocessingThatDoesNotFitTheInputNamesItAndBothShapes() throws IOException {
        CalibrationImages images = CalibrationImages.fromDirectory(images(tmp.resolve("i"), 0, 1),
                Preprocessing.generic(16, 8, false, 3));
        assertThatThrownBy(() -> uncached().collect(block(), TENSORS, images, OPTIONS))
                .isInstanceOf(OctetException.class).hasMessageContaining("[1, 3, 16, 8]")
                .hasMessageContaining("input 'x' is f32[1,3,8,8]");
    }

    @Test
    void unknownTensorsAndNonFiniteValuesAreNamed() throws IOException {
        CalibrationImages images = CalibrationImages.fromDirectory(images(tmp.resolve("i"), 0, 1), PRE);
        assertThatThrownBy(() -> uncached().collect(block(), Set.of("c9"), images, OPTIONS))
                .hasMessageContaining("no value named [c9]");
        Graph sqrtOfNegative = graph(List.of(Node.of("d", "Sub", List.of("x", "five"), List.of("d")),
                Node.of("r", "Sqrt", List.of("d"), List.of("r"))), Map.of("five", Tensor.ofFloats(new int[] {}, 5)),
                "r");
        assertThatThrownBy(() -> uncached().collect(sqrtOfNegative, Set.of("d", "r"), images, OPTIONS))
                .isInstanceOf(OctetException.class).hasMessageContaining("img00.png")
                .hasMessageContaining("tensor 'r' has a non-finite value (NaN");
    }

    @Test
    void theProgressBarGoesToStandardError() throws IOException {
        CalibrationImages images = CalibrationImages.fromDirectory(images(tmp.resolve("i"), 0, 2), PRE);
        java.io.PrintStream err = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(captured, true));
        try {
            Calibrator.defaults().withCacheDir(null).collect(block(), TENSORS, images, OPTIONS);
        } finally {
            System.setErr(err);
        }
        assertThat(captured.toString()).contains("Calibrating").contains("2/2");
    }
}
