package dev.octet.data;

import java.awt.image.BufferedImage;

/**
 * A rendered text-line image and what it shows.
 *
 * @param image the line, dark text on light paper, as a text detector would crop it
 * @param text the characters drawn (spaces between words included)
 * @param rotation 0 where the text is upright, 180 where it is upside down
 */
public record LabelledLine(BufferedImage image, String text, int rotation) {
}
