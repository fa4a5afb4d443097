package dev.octet.data;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.SplittableRandom;

/**
 * The imperfections of a photographed or scanned text that rendered lines lack: lower contrast (grey paper,
 * grey ink), a slight rotation, blur and sensor noise. Each is drawn from the sample's random stream, so a
 * degraded sample is as reproducible as a clean one.
 *
 * @param maxRotationDegrees the rotation is uniform in ±this
 * @param blurProbability the chance of a 3x3 box blur
 * @param maxNoise the noise's standard deviation (in 0..255 pixel units) is uniform in 0..this
 */
public record ImageDegradation(double maxRotationDegrees, double blurProbability, double maxNoise) {
    /** Mild: what a clean scan looks like; the defaults of the rendered datasets. */
    public static final ImageDegradation MILD = new ImageDegradation(2.0, 0.3, 8.0);
    /** None: the rendered image as it is. */
    public static final ImageDegradation NONE = new ImageDegradation(0, 0, 0);

    /** A new image: contrast, rotation (the canvas grows to hold it), blur and noise, in that order. */
    public BufferedImage apply(BufferedImage src, SplittableRandom r) {
        int paper = 255 - r.nextInt(50);
        int ink = r.nextInt(70);
        BufferedImage img = remap(src, paper, ink);
        double degrees = maxRotationDegrees == 0 ? 0 : (r.nextDouble() * 2 - 1) * maxRotationDegrees;
        if (degrees != 0) {
            img = rotate(img, Math.toRadians(degrees), new Color(paper, paper, paper));
        }
        if (r.nextDouble() < blurProbability) {
            img = boxBlur(img);
        }
        double sigma = r.nextDouble() * maxNoise;
        if (sigma > 0) {
            addNoise(img, sigma, r);
        }
        return img;
    }

    /** White becomes {@code paper}, black {@code ink}, linearly in between, per channel. */
    private static BufferedImage remap(BufferedImage src, int paper, int ink) {
        BufferedImage out = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < src.getHeight(); y++) {
            for (int x = 0; x < src.getWidth(); x++) {
                int rgb = src.getRGB(x, y);
                int v = 0;
                for (int shift = 0; shift <= 16; shift += 8) {
                    int c = (rgb >> shift) & 255;
                    v |= (ink + (paper - ink) * c / 255) << shift;
                }
                out.setRGB(x, y, v);
            }
        }
        return out;
    }

    /** Rotated about the centre on a canvas large enough to hold every corner, the new area filled with paper. */
    public static BufferedImage rotate(BufferedImage src, double radians, Color background) {
        double sin = Math.abs(Math.sin(radians));
        double cos = Math.abs(Math.cos(radians));
        int w = src.getWidth();
        int h = src.getHeight();
        int nw = (int) Math.ceil(w * cos + h * sin);
        int nh = (int) Math.ceil(h * cos + w * sin);
        BufferedImage out = new BufferedImage(nw, nh, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(background);
        g.fillRect(0, 0, nw, nh);
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.translate(nw / 2.0, nh / 2.0);
        g.rotate(radians);
        g.translate(-w / 2.0, -h / 2.0);
        g.drawImage(src, 0, 0, null);
        g.dispose();
        return out;
    }

    private static BufferedImage boxBlur(BufferedImage src) {
        int w = src.getWidth();
        int h = src.getHeight();
        int[] in = src.getRGB(0, 0, w, h, null, 0, w);
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int v = 0;
                for (int shift = 0; shift <= 16; shift += 8) {
                    int sum = 0;
                    for (int dy = -1; dy <= 1; dy++) {
                        for (int dx = -1; dx <= 1; dx++) {
                            int yy = Math.clamp(y + dy, 0, h - 1);
                            int xx = Math.clamp(x + dx, 0, w - 1);
                            sum += (in[yy * w + xx] >> shift) & 255;
                        }
                    }
                    v |= ((sum + 4) / 9) << shift;
                }
                out.setRGB(x, y, v);
            }
        }
        return out;
    }

    private static void addNoise(BufferedImage img, double sigma, SplittableRandom r) {
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y);
                int n = (int) Math.round(r.nextGaussian() * sigma); // the same on all channels: grey sensor noise
                int v = 0;
                for (int shift = 0; shift <= 16; shift += 8) {
                    v |= Math.clamp(((rgb >> shift) & 255) + n, 0, 255) << shift;
                }
                img.setRGB(x, y, v);
            }
        }
    }
}
