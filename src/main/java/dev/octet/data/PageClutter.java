package dev.octet.data;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.util.SplittableRandom;

/**
 * The busy parts of a {@link PageStyle#CLUTTERED} page, drawn from the page's random stream: a background of a
 * gradient between two light tones, translucent rectangles and ellipses, and ruled lines (the edges and strokes
 * a detector must not take for text), and the ink of each line (dark colours on the light background, or light
 * text on a dark label).
 */
final class PageClutter {
    /** Chance that a line is printed light on a dark label. */
    private static final int LABEL_PERCENT = 20;

    private PageClutter() {
    }

    static void background(Graphics2D g, int w, int h, SplittableRandom r) {
        g.setPaint(new GradientPaint(r.nextInt(w), r.nextInt(h), light(r), r.nextInt(w), r.nextInt(h), light(r)));
        g.fillRect(0, 0, w, h);
        int shapes = 6 + r.nextInt(14);
        for (int i = 0; i < shapes; i++) {
            g.setColor(new Color(r.nextInt(256), r.nextInt(256), r.nextInt(256), 30 + r.nextInt(90)));
            int sw = 16 + r.nextInt(w / 2);
            int sh = 16 + r.nextInt(h / 2);
            int x = r.nextInt(w) - sw / 2;
            int y = r.nextInt(h) - sh / 2;
            if (r.nextBoolean()) {
                g.fillRect(x, y, sw, sh);
            } else {
                g.fillOval(x, y, sw, sh);
            }
        }
        int rules = r.nextInt(7);
        for (int i = 0; i < rules; i++) {
            int grey = r.nextInt(160);
            g.setColor(new Color(grey, grey, grey, 90 + r.nextInt(166)));
            g.setStroke(new BasicStroke(1 + r.nextInt(3)));
            if (r.nextBoolean()) {
                int y = r.nextInt(h);
                g.drawLine(0, y, w, y);
            } else {
                int x = r.nextInt(w);
                g.drawLine(x, 0, x, h);
            }
        }
    }

    /**
     * Sets the ink of the line whose text box is {@code box}: a dark colour, or (sometimes) a dark label drawn
     * behind the box with light ink. The label stays outside the annotated box, as a printed label's margin does.
     */
    static void ink(Graphics2D g, Rectangle box, SplittableRandom r) {
        if (r.nextInt(100) < LABEL_PERCENT) {
            int pad = 3 + r.nextInt(5);
            g.setColor(new Color(r.nextInt(80), r.nextInt(80), r.nextInt(80)));
            g.fillRoundRect(box.x - pad, box.y - pad, box.width + 2 * pad, box.height + 2 * pad, pad, pad);
            g.setColor(new Color(190 + r.nextInt(66), 190 + r.nextInt(66), 190 + r.nextInt(66)));
        } else {
            g.setColor(new Color(r.nextInt(100), r.nextInt(100), r.nextInt(100)));
        }
    }

    private static Color light(SplittableRandom r) {
        return new Color(150 + r.nextInt(106), 150 + r.nextInt(106), 150 + r.nextInt(106));
    }
}
