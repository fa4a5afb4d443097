package dev.octet.data;

/**
 * How a rendered detection page looks ({@link TextPageSet}). {@link #PLAIN} is a clean printout: grey text on
 * plain paper, lines well apart, so a detector finds nearly every line and its F1 barely moves when the model is
 * damaged. {@link #CLUTTERED} is the harder page a detector meets in photos and forms: smaller text, more lines,
 * coloured ink, some lines printed light on dark labels, over a background of gradients, translucent shapes and
 * ruled lines ({@link PageClutter}); there F1 has room to fall, so it can tell a good int8 model from a poor one.
 *
 * @param minFont smallest font size, pixels
 * @param maxFont largest font size, pixels
 * @param minLines fewest lines a page tries to hold
 * @param maxLines most lines a page tries to hold
 * @param cluttered background clutter, coloured ink and light-on-dark labels
 */
public record PageStyle(int minFont, int maxFont, int minLines, int maxLines, boolean cluttered) {
    public static final PageStyle PLAIN = new PageStyle(14, 35, 3, 8, false);
    public static final PageStyle CLUTTERED = new PageStyle(10, 27, 5, 12, true);
}
