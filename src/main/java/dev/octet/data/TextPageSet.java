package dev.octet.data;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.font.FontRenderContext;
import java.awt.font.GlyphVector;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Rendered pages with several text lines at known places, for text detection: a page of 384 to 640 pixels a
 * side, lines in the number and sizes of its {@link PageStyle} (fonts and strings drawn as in
 * {@link TextLineSet}) placed without overlap and with a gap of at least half a line between lines (closer lines
 * are one block to a detector), then turned by a slight rotation that carries the boxes along (what a box covers:
 * see {@code lineBox}), then blurred and noised. Deterministic in (seed, split, index).
 */
public final class TextPageSet {
    private final TextSampler sampler;
    private final FontSet fonts;
    private final long seed;
    private final Split split;
    private final ImageDegradation degradation;
    private final PageStyle style;

    public TextPageSet(List<String> dictionary, FontSet fonts, long seed, Split split, ImageDegradation degradation,
            PageStyle style) {
        this.sampler = new TextSampler(dictionary);
        this.fonts = fonts;
        this.seed = seed;
        this.split = split;
        this.degradation = degradation;
        this.style = style;
    }

    /** Plain pages with the installed fonts and mild degradation. */
    public static TextPageSet of(List<String> dictionary, long seed, Split split) {
        return of(dictionary, seed, split, PageStyle.PLAIN);
    }

    /** Pages of a style with the installed fonts and mild degradation. */
    public static TextPageSet of(List<String> dictionary, long seed, Split split, PageStyle style) {
        return new TextPageSet(dictionary, FontSet.installed(), seed, split, ImageDegradation.MILD, style);
    }

    /**
     * A line's box: its ink across, and down from the cap height to the descenders ("Hg" in the same font) or
     * the extent where it reaches further, as a line is annotated for detection whatever its letters: a detector's
     * box for "mu" covers the height of "Hg" too.
     */
    private static Rectangle lineBox(Rectangle extent, Rectangle reference) {
        int top = Math.min(extent.y, reference.y);
        int bottom = Math.max(extent.y + extent.height, reference.y + reference.height);
        return new Rectangle(extent.x, top, extent.width, bottom - top);
    }

    /** Sample {@code index}. */
    public LabelledPage page(int index) {
        SplittableRandom r = new SplittableRandom(split.sampleSeed(seed, index));
        int w = 32 * (12 + r.nextInt(9));
        int h = 32 * (12 + r.nextInt(9));
        int paper = 255 - r.nextInt(50);
        BufferedImage page = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = page.createGraphics();
        g.setColor(new Color(paper, paper, paper));
        g.fillRect(0, 0, w, h);
        if (style.cluttered()) {
            PageClutter.background(g, w, h, r);
        }
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
        FontRenderContext frc = g.getFontRenderContext();
        List<Quad> boxes = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        int lines = style.minLines() + r.nextInt(style.maxLines() - style.minLines() + 1);
        int y = 8 + r.nextInt(24);
        for (int i = 0; i < lines; i++) {
            boolean chinese = fonts.hasCjk() && r.nextInt(5) < 2;
            List<Font> pool = chinese ? fonts.cjk() : fonts.latin();
            Font font = pool.get(r.nextInt(pool.size())).deriveFont(Font.PLAIN,
                    style.minFont() + r.nextInt(style.maxFont() - style.minFont() + 1));
            String text = sampler.sample(r, chinese ? font : null);
            GlyphVector glyphs = font.createGlyphVector(frc, text);
            Rectangle extent = lineBox(glyphs.getPixelBounds(frc, 0, 0),
                    font.createGlyphVector(frc, "Hg").getPixelBounds(frc, 0, 0));
            if (extent.width > w - 16) {
                continue; // too long for this page: one line fewer
            }
            int x = 8 + r.nextInt(Math.max(1, w - 16 - extent.width));
            int baseline = y - extent.y;
            if (y + extent.height > h - 8) {
                break; // the page is full: fewer lines
            }
            Rectangle box = new Rectangle(x + extent.x, baseline + extent.y, extent.width, extent.height);
            if (style.cluttered()) {
                PageClutter.ink(g, box, r);
            } else {
                int ink0 = r.nextInt(70);
                g.setColor(new Color(ink0, ink0, ink0));
            }
            g.drawGlyphVector(glyphs, x, baseline);
            boxes.add(Quad.box(box.x, box.y, box.x + box.width, box.y + box.height));
            texts.add(text);
            // Spread the lines down the page: a random share of the height left for the lines still to come.
            int spare = Math.max(1, (h - y - extent.height) / Math.max(1, lines - i));
            y += extent.height + Math.max(extent.height / 2, 6) + r.nextInt(spare);
        }
        g.dispose();
        double degrees = (r.nextDouble() * 2 - 1) * degradation.maxRotationDegrees();
        BufferedImage turned = ImageDegradation.rotate(page, Math.toRadians(degrees), new Color(paper, paper, paper));
        AffineTransform t = new AffineTransform();
        t.translate(turned.getWidth() / 2.0, turned.getHeight() / 2.0);
        t.rotate(Math.toRadians(degrees));
        t.translate(-w / 2.0, -h / 2.0);
        List<Quad> turnedBoxes = boxes.stream().map(q -> q.transform(t)).toList();
        BufferedImage done = new ImageDegradation(0, degradation.blurProbability(), degradation.maxNoise())
                .apply(turned, r);
        return new LabelledPage(done, turnedBoxes, texts);
    }
}
