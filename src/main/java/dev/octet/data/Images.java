package dev.octet.data;

import dev.octet.ir.DataType;
import dev.octet.ir.OctetException;
import dev.octet.ir.Shapes;
import dev.octet.ir.Storage;
import dev.octet.ir.Tensor;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/** Images (JPEG, PNG: whatever ImageIO reads) and their conversion to model input tensors. */
public final class Images {
    private Images() {
    }

    /** Reads an image file; a missing or unreadable file is an {@link OctetException} naming it. */
    public static BufferedImage load(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            BufferedImage img = ImageIO.read(in);
            if (img == null) {
                throw new OctetException(file + ": not an image format this JVM reads (JPEG, PNG, BMP, GIF)");
            }
            return img;
        } catch (NoSuchFileException e) {
            throw new OctetException(file + ": no such file");
        } catch (IOException e) {
            throw new OctetException(file + ": cannot read the image (" + e.getMessage() + ")");
        }
    }

    /** One image as a batch of {@code batch} copies. */
    public static Tensor toTensor(BufferedImage image, Preprocessing p, int batch) {
        return toTensor(java.util.Collections.nCopies(batch, image), p);
    }

    /**
     * A batch of images as one FLOAT tensor. All images get the size computed for the first one (the sizes of a
     * batch must agree).
     */
    public static Tensor toTensor(List<BufferedImage> images, Preprocessing p) {
        if (images.isEmpty()) {
            throw new IllegalArgumentException("no images");
        }
        // A batch of text lines is as wide as its widest line needs; other modes size by the first image.
        BufferedImage sizing = images.stream().max(java.util.Comparator.comparingDouble(
                i -> (double) i.getWidth() / i.getHeight())).orElseThrow();
        if (p.resize() != Preprocessing.Resize.KEEP_ASPECT_GROW) {
            sizing = images.getFirst();
        }
        int[] size = targetSize(sizing.getWidth(), sizing.getHeight(), p);
        int h = size[0];
        int w = size[1];
        int c = p.channels().count();
        int n = images.size();
        int total = Shapes.size(new int[] {n, c, h, w});
        float[] out = (float[]) Storage.allocate(DataType.FLOAT, total, "the input tensor of " + n + "x" + c + "x" + h
                + "x" + w);
        double[] mean = p.mean();
        double[] std = p.std();
        for (int b = 0; b < n; b++) {
            BufferedImage img = images.get(b);
            boolean keepAspect = p.resize() == Preprocessing.Resize.KEEP_ASPECT_PAD
                    || p.resize() == Preprocessing.Resize.KEEP_ASPECT_GROW;
            int contentW = keepAspect ? Math.min(w, lineWidth(img, h)) : w;
            float[][] rgb = resizeBilinear(img, h, contentW);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    for (int ch = 0; ch < c; ch++) {
                        double v;
                        if (x >= contentW) {
                            v = 0; // padding is zero in the normalised tensor, as PaddleOCR pads
                        } else if (ch == 3) {
                            v = p.alpha();
                        } else {
                            int src = p.channels() == Preprocessing.Channels.BGR ? 2 - ch : ch;
                            v = (rgb[src][y * contentW + x] * p.scale() - mean[ch]) / std[ch];
                        }
                        int idx = p.nhwc() ? ((b * h + y) * w + x) * c + ch : ((b * c + ch) * h + y) * w + x;
                        out[idx] = (float) v;
                    }
                }
            }
        }
        int[] shape = p.nhwc() ? new int[] {n, h, w, c} : new int[] {n, c, h, w};
        return Tensor.of(DataType.FLOAT, shape, out);
    }

    /** The width of an image scaled to height h with its aspect ratio (at least 1). */
    private static int lineWidth(BufferedImage img, int h) {
        return lineWidth(img.getWidth(), img.getHeight(), h);
    }

    private static int lineWidth(int imageWidth, int imageHeight, int h) {
        return Math.max(1, (int) Math.ceil(h * (double) imageWidth / imageHeight));
    }

    /** Tensor height and width for one image of the given size: {height, width}. */
    public static int[] targetSize(int imageWidth, int imageHeight, Preprocessing p) {
        return switch (p.resize()) {
            case STRETCH, KEEP_ASPECT_PAD -> new int[] {p.height(), p.width()};
            case KEEP_ASPECT_GROW -> new int[] {p.height(),
                Math.max(p.width(), lineWidth(imageWidth, imageHeight, p.height()))};
            case LIMIT_MULTIPLE_OF_32 -> {
                int limit = Math.max(p.height(), p.width());
                double ratio = Math.max(imageWidth, imageHeight) > limit
                        ? (double) limit / Math.max(imageWidth, imageHeight) : 1;
                yield new int[] {roundTo32(imageHeight * ratio), roundTo32(imageWidth * ratio)};
            }
        };
    }

    private static int roundTo32(double v) {
        return Math.max(32, (int) Math.round(v / 32) * 32);
    }

    /**
     * Bilinear resize with half-pixel centres and edge clamping (OpenCV's INTER_LINEAR, without its rounding to
     * 8 bits): planes R, G, B of 0..255 floats, row-major.
     */
    static float[][] resizeBilinear(BufferedImage img, int outH, int outW) {
        int inW = img.getWidth();
        int inH = img.getHeight();
        int[] argb = img.getRGB(0, 0, inW, inH, null, 0, inW);
        float[][] out = new float[3][outH * outW];
        double sy = (double) inH / outH;
        double sx = (double) inW / outW;
        for (int y = 0; y < outH; y++) {
            double fy = Math.clamp((y + 0.5) * sy - 0.5, 0, inH - 1);
            int y0 = (int) fy;
            int y1 = Math.min(y0 + 1, inH - 1);
            double wy = fy - y0;
            for (int x = 0; x < outW; x++) {
                double fx = Math.clamp((x + 0.5) * sx - 0.5, 0, inW - 1);
                int x0 = (int) fx;
                int x1 = Math.min(x0 + 1, inW - 1);
                double wx = fx - x0;
                int p00 = argb[y0 * inW + x0];
                int p01 = argb[y0 * inW + x1];
                int p10 = argb[y1 * inW + x0];
                int p11 = argb[y1 * inW + x1];
                for (int ch = 0; ch < 3; ch++) {
                    int shift = 16 - 8 * ch;
                    double top = ((p00 >> shift) & 255) * (1 - wx) + ((p01 >> shift) & 255) * wx;
                    double bottom = ((p10 >> shift) & 255) * (1 - wx) + ((p11 >> shift) & 255) * wx;
                    out[ch][y * outW + x] = (float) (top * (1 - wy) + bottom * wy);
                }
            }
        }
        return out;
    }
}
