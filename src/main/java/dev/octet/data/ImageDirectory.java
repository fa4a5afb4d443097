package dev.octet.data;

import dev.octet.ir.OctetException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Writes images as a folder of PNG files (what calibration reads): {@code 00000.png}, {@code 00001.png}, ... in
 * order, and a {@code labels.tsv} with each file's label where there are labels. Existing files of those names
 * are replaced; nothing else in the folder is touched.
 */
public final class ImageDirectory {
    private ImageDirectory() {
    }

    /**
     * @param labels one per image (a line's text, its rotation, a page's boxes), or null for none
     * @return the files written, in order
     */
    public static List<Path> write(Path dir, List<BufferedImage> images, List<String> labels) {
        if (labels != null && labels.size() != images.size()) {
            throw new IllegalArgumentException(images.size() + " images but " + labels.size() + " labels");
        }
        try {
            Files.createDirectories(dir);
            List<Path> files = new java.util.ArrayList<>();
            StringBuilder tsv = new StringBuilder();
            for (int i = 0; i < images.size(); i++) {
                Path file = dir.resolve(String.format("%05d.png", i));
                // Write to a temporary name first: a half-written PNG must never look like a calibration image.
                Path part = dir.resolve(file.getFileName() + ".part");
                if (!ImageIO.write(images.get(i), "png", part.toFile())) {
                    throw new OctetException("this JVM has no PNG writer");
                }
                Files.move(part, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                files.add(file);
                if (labels != null) {
                    tsv.append(file.getFileName()).append('\t').append(labels.get(i).replace('\t', ' ')
                            .replace('\n', ' ')).append('\n');
                }
            }
            if (labels != null) {
                Files.writeString(dir.resolve("labels.tsv"), tsv);
            }
            return files;
        } catch (IOException e) {
            throw new OctetException(dir + ": cannot write the images (" + e.getMessage() + ")");
        }
    }
}
