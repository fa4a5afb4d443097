package dev.octet.quant;

import dev.octet.data.Images;
import dev.octet.data.Preprocessing;
import dev.octet.ir.OctetException;
import dev.octet.ir.Tensor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * The images a model is calibrated on: every file of a directory (not its subdirectories nor hidden files), in
 * file-name order so that runs are reproducible, each turned into a batch-1 input tensor by the caller's
 * {@link Preprocessing} (see {@link dev.octet.data.PreprocessSpec} for the command-line form and
 * {@link dev.octet.data.ModelFamily#preprocessing} for a model family's default). Every file must be an image
 * ImageIO reads (JPEG, PNG, BMP, GIF); anything else is an error naming it, not silently skipped, except
 * {@code labels.tsv}, the labels {@code octet eval --write-calib} writes beside the images it renders.
 */
public final class CalibrationImages {
    /** The labels file {@code octet eval --write-calib} writes beside its images: not an image, and skipped. */
    static final String LABELS = "labels.tsv";

    private final Path directory;
    private final List<Path> files;
    private final Preprocessing preprocessing;

    private CalibrationImages(Path directory, List<Path> files, Preprocessing preprocessing) {
        this.directory = directory;
        this.files = List.copyOf(files);
        this.preprocessing = preprocessing;
    }

    /**
     * The images of a directory.
     *
     * @throws OctetException where the directory is missing, not a directory, unreadable or holds no files
     */
    public static CalibrationImages fromDirectory(Path directory, Preprocessing preprocessing) {
        if (!Files.exists(directory)) {
            throw new OctetException("calibration directory " + directory + " does not exist");
        }
        if (!Files.isDirectory(directory)) {
            throw new OctetException("calibration directory " + directory + " is not a directory");
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(directory)) {
            files = s.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith("."))
                    .filter(f -> !f.getFileName().toString().equals(LABELS))
                    .sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString())).toList();
        } catch (IOException e) {
            throw new OctetException("calibration directory " + directory + " cannot be read (" + e.getMessage()
                    + ")");
        }
        if (files.isEmpty()) {
            throw new OctetException("calibration directory " + directory + " holds no images");
        }
        return new CalibrationImages(directory, files, preprocessing);
    }

    /** The first {@code n} images only (all where there are fewer). */
    public CalibrationImages first(int n) {
        if (n <= 0) {
            throw new OctetException("the number of calibration images must be positive, not " + n);
        }
        return new CalibrationImages(directory, files.subList(0, Math.min(n, files.size())), preprocessing);
    }

    /** Images {@code from} (inclusive) to {@code to} (exclusive), e.g. to hold some out of calibration. */
    public CalibrationImages subset(int from, int to) {
        if (from < 0 || to > files.size() || from >= to) {
            throw new OctetException("no calibration images " + from + " to " + to + " of " + files.size());
        }
        return new CalibrationImages(directory, files.subList(from, to), preprocessing);
    }

    /** The folder the images were listed from. */
    public Path directory() {
        return directory;
    }

    /** The image files, in the order they are used. */
    public List<Path> files() {
        return files;
    }

    /** The number of images. */
    public int size() {
        return files.size();
    }

    /** How each image becomes an input tensor. */
    public Preprocessing preprocessing() {
        return preprocessing;
    }

    /**
     * Image {@code i} as a batch-1 input tensor.
     *
     * @throws OctetException naming the file where it is not a readable image
     */
    public Tensor tensor(int i) {
        return Images.toTensor(Images.load(files.get(i)), preprocessing, 1);
    }

    /**
     * Adds what identifies this calibration set to a digest without reading the images: each file's name, size
     * and modification time, and every setting of the preprocessing (full precision).
     */
    void fingerprint(MessageDigest digest) {
        StringBuilder sb = new StringBuilder("images ").append(files.size()).append('\n');
        for (Path f : files) {
            try {
                BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
                sb.append(f.getFileName()).append(' ').append(a.size()).append(' ')
                        .append(a.lastModifiedTime().toMillis()).append('\n');
            } catch (IOException e) {
                throw new OctetException(f + ": cannot read the calibration image (" + e.getMessage() + ")");
            }
        }
        Preprocessing p = preprocessing;
        sb.append("preprocessing ").append(p.height()).append('x').append(p.width()).append(' ').append(p.resize())
                .append(' ').append(p.channels()).append(' ').append(p.scale()).append(' ')
                .append(Arrays.toString(p.mean())).append(' ').append(Arrays.toString(p.std())).append(' ')
                .append(p.nhwc() ? "nhwc" : "nchw").append(' ').append(p.alpha()).append('\n');
        digest.update(sb.toString().getBytes(StandardCharsets.UTF_8));
    }
}
