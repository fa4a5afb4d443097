package dev.octet.data;

import java.awt.image.BufferedImage;
import java.util.List;

/**
 * A rendered page and the box of each text line on it.
 *
 * @param image the page
 * @param boxes one per line: the box around its ink, in the page's pixels
 * @param texts the text of each line, in the order of {@code boxes}
 */
public record LabelledPage(BufferedImage image, List<Quad> boxes, List<String> texts) {
    public LabelledPage {
        boxes = List.copyOf(boxes);
        texts = List.copyOf(texts);
    }
}
