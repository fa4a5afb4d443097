package dev.octet.data;

import java.awt.Font;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Rendered text lines with known labels, for text recognition and orientation: each sample draws a font (a CJK
 * font for about two lines in five where one is installed), a height of 32 to 72 pixels, a string from
 * {@link TextSampler}, and a {@link ImageDegradation}. Sample {@code i} of a split depends only on (seed, split,
 * i) and the installed fonts: the same arguments give the same images.
 */
public final class TextLineSet {
    private final TextSampler sampler;
    private final FontSet fonts;
    private final long seed;
    private final Split split;
    private final ImageDegradation degradation;

    /**
     * @param dictionary the recogniser's characters (labels use only these)
     * @param fonts the fonts to draw with
     */
    public TextLineSet(List<String> dictionary, FontSet fonts, long seed, Split split, ImageDegradation degradation) {
        this.sampler = new TextSampler(dictionary);
        this.fonts = fonts;
        this.seed = seed;
        this.split = split;
        this.degradation = degradation;
    }

    /** The evaluation or calibration lines with the installed fonts and mild degradation. */
    public static TextLineSet of(List<String> dictionary, long seed, Split split) {
        return new TextLineSet(dictionary, FontSet.installed(), seed, split, ImageDegradation.MILD);
    }

    /** Sample {@code index}, upright. */
    public LabelledLine line(int index) {
        SplittableRandom r = new SplittableRandom(split.sampleSeed(seed, index));
        boolean chinese = fonts.hasCjk() && r.nextInt(5) < 2;
        List<Font> pool = chinese ? fonts.cjk() : fonts.latin();
        Font font = pool.get(r.nextInt(pool.size()));
        String text = sampler.sample(r, chinese ? font : null);
        int height = 32 + r.nextInt(41);
        BufferedImage clean = TextRenderer.of(font).line(text, height);
        return new LabelledLine(degradation.apply(clean, r), text, 0);
    }

    /**
     * Sample {@code index} for the orientation classifier: the same kind of line, turned upside down for about
     * half of the samples (the choice is drawn from the sample's own stream, after the line itself).
     */
    public LabelledLine orientedLine(int index) {
        LabelledLine upright = line(index);
        boolean flip = new SplittableRandom(split.sampleSeed(seed, index) ^ 0x5DEECE66DL).nextBoolean();
        if (!flip) {
            return upright;
        }
        return new LabelledLine(upsideDown(upright.image()), upright.text(), 180);
    }

    /** The image turned by 180° exactly: pixel (x, y) goes to (w − 1 − x, h − 1 − y), no interpolation. */
    static BufferedImage upsideDown(BufferedImage src) {
        int w = src.getWidth();
        int h = src.getHeight();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                out.setRGB(w - 1 - x, h - 1 - y, src.getRGB(x, y));
            }
        }
        return out;
    }

    /** Samples 0..n-1. */
    public List<LabelledLine> lines(int n) {
        List<LabelledLine> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(line(i));
        }
        return out;
    }
}
