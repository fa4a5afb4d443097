package dev.octet.data;

import dev.octet.ir.OctetException;
import dev.octet.ir.Tensor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * PP-OCR text detection's post-processing (PaddleOCR's DBPostProcess with its inference defaults, box_type "quad",
 * score_mode "fast"): threshold the probability map, take each connected region (8-connected, as OpenCV's contours
 * are), its minimum-area rectangle; drop it if its short side is under 3 pixels or its score (the mean probability
 * inside the rectangle) is under the box threshold; grow ("unclip") the rectangle by area·ratio/perimeter on each
 * side, as pyclipper's offset of a rectangle does; drop it if its short side is then under 5; rescale to the
 * image; drop boxes 3 pixels or less wide or high (TextDetector.filter_tag_det_res).
 *
 * @param threshold probability above which a pixel is text (det_db_thresh, 0.3)
 * @param boxThreshold least mean probability of a kept box (det_db_box_thresh, 0.6)
 * @param unclipRatio how far boxes grow (det_db_unclip_ratio, 1.5)
 * @param maxCandidates regions looked at, at most (1000)
 */
public record DbPostProcess(double threshold, double boxThreshold, double unclipRatio, int maxCandidates) {
    private static final int MIN_SIZE = 3;

    /** PaddleOCR's inference defaults. */
    public static DbPostProcess paddleDefaults() {
        return new DbPostProcess(0.3, 0.6, 1.5, 1000);
    }

    /** A detected text box and its score. */
    public record Detection(Quad box, double score) {
    }

    /**
     * The boxes of a [1, 1, H, W] probability map, in the pixels of the image it came from ({@code imageWidth} x
     * {@code imageHeight}; the map's own size where the image was not resized).
     */
    public List<Detection> boxes(Tensor probabilities, int imageWidth, int imageHeight) {
        if (probabilities.rank() != 4 || probabilities.dim(0) != 1 || probabilities.dim(1) != 1
                || !probabilities.dtype().isFloat()) {
            throw new OctetException("DB post-processing needs a float [1, 1, H, W] probability map, got "
                    + probabilities.type());
        }
        int h = probabilities.dim(2);
        int w = probabilities.dim(3);
        float[] pred = probabilities.floats();
        boolean[] text = new boolean[h * w];
        for (int i = 0; i < text.length; i++) {
            text[i] = pred[i] > threshold;
        }
        List<Detection> out = new ArrayList<>();
        boolean[] seen = new boolean[h * w];
        int candidates = 0;
        for (int start = 0; start < text.length && candidates < maxCandidates; start++) {
            if (!text[start] || seen[start]) {
                continue;
            }
            candidates++;
            Quad rect = MinAreaRect.of(regionOutline(text, seen, w, h, start));
            double[] sides = MinAreaRect.sides(rect);
            if (Math.min(sides[0], sides[1]) < MIN_SIZE) {
                continue;
            }
            double score = meanInside(pred, w, h, rect);
            if (score < boxThreshold) {
                continue;
            }
            double distance = sides[0] * sides[1] * unclipRatio / (2 * (sides[0] + sides[1]));
            Quad grown = grow(rect, distance);
            double[] grownSides = MinAreaRect.sides(grown);
            if (Math.min(grownSides[0], grownSides[1]) < MIN_SIZE + 2) {
                continue;
            }
            Quad scaled = rescale(grown, (double) imageWidth / w, (double) imageHeight / h, imageWidth, imageHeight);
            double[] s = MinAreaRect.sides(scaled);
            if (s[0] <= 3 || s[1] <= 3) {
                continue;
            }
            out.add(new Detection(scaled, score));
        }
        return out;
    }

    /**
     * Floods the 8-connected region from {@code start}, marking it seen, and returns the first and last pixel of
     * each of its rows: their convex hull is the region's (what OpenCV's contour points span).
     */
    private static List<double[]> regionOutline(boolean[] text, boolean[] seen, int w, int h, int start) {
        int[] minX = new int[h];
        int[] maxX = new int[h];
        java.util.Arrays.fill(minX, Integer.MAX_VALUE);
        java.util.Arrays.fill(maxX, Integer.MIN_VALUE);
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        queue.add(start);
        seen[start] = true;
        while (!queue.isEmpty()) {
            int p = queue.poll();
            int x = p % w;
            int y = p / w;
            minX[y] = Math.min(minX[y], x);
            maxX[y] = Math.max(maxX[y], x);
            for (int dy = -1; dy <= 1; dy++) {
                for (int dx = -1; dx <= 1; dx++) {
                    int nx = x + dx;
                    int ny = y + dy;
                    if (nx >= 0 && nx < w && ny >= 0 && ny < h && text[ny * w + nx] && !seen[ny * w + nx]) {
                        seen[ny * w + nx] = true;
                        queue.add(ny * w + nx);
                    }
                }
            }
        }
        List<double[]> points = new ArrayList<>();
        for (int y = 0; y < h; y++) {
            if (minX[y] <= maxX[y]) {
                points.add(new double[] {minX[y], y});
                points.add(new double[] {maxX[y], y});
            }
        }
        return points;
    }

    /**
     * box_score_fast: the mean probability over the pixels the rectangle covers, its corners truncated to whole
     * pixels as cv2.fillPoly takes them, the edges included.
     */
    private static double meanInside(float[] pred, int w, int h, Quad rect) {
        double[] xs = rect.xs();
        double[] ys = rect.ys();
        int[] ix = new int[4];
        int[] iy = new int[4];
        for (int k = 0; k < 4; k++) {
            ix[k] = (int) xs[k];
            iy[k] = (int) ys[k];
        }
        int x0 = Math.clamp((long) Math.floor(min(xs)), 0, w - 1);
        int x1 = Math.clamp((long) Math.ceil(max(xs)), 0, w - 1);
        int y0 = Math.clamp((long) Math.floor(min(ys)), 0, h - 1);
        int y1 = Math.clamp((long) Math.ceil(max(ys)), 0, h - 1);
        double sum = 0;
        int n = 0;
        for (int y = y0; y <= y1; y++) {
            for (int x = x0; x <= x1; x++) {
                if (insideConvex(ix, iy, x, y)) {
                    sum += pred[y * w + x];
                    n++;
                }
            }
        }
        return n == 0 ? 0 : sum / n;
    }

    /** Whether (x, y) is inside or on the convex polygon with integer corners in order (either direction). */
    private static boolean insideConvex(int[] xs, int[] ys, int x, int y) {
        boolean pos = false;
        boolean neg = false;
        for (int i = 0; i < 4; i++) {
            int j = (i + 1) % 4;
            long c = (long) (xs[j] - xs[i]) * (y - ys[i]) - (long) (ys[j] - ys[i]) * (x - xs[i]);
            pos |= c > 0;
            neg |= c < 0;
        }
        return !(pos && neg);
    }

    /** The rectangle with each side pushed out by {@code d}: the min-area box of pyclipper's rounded offset. */
    private static Quad grow(Quad rect, double d) {
        double[] xs = rect.xs();
        double[] ys = rect.ys();
        double cx = (xs[0] + xs[1] + xs[2] + xs[3]) / 4;
        double cy = (ys[0] + ys[1] + ys[2] + ys[3]) / 4;
        double[] sides = sides(rect);
        // Unit vectors along the first and second side.
        double ux = (xs[1] - xs[0]) / sides[0];
        double uy = (ys[1] - ys[0]) / sides[0];
        double vx = (xs[2] - xs[1]) / sides[1];
        double vy = (ys[2] - ys[1]) / sides[1];
        double hu = sides[0] / 2 + d;
        double hv = sides[1] / 2 + d;
        double[] su = {-1, 1, 1, -1};
        double[] sv = {-1, -1, 1, 1};
        double[] nx = new double[4];
        double[] ny = new double[4];
        for (int k = 0; k < 4; k++) {
            nx[k] = cx + su[k] * hu * ux + sv[k] * hv * vx;
            ny[k] = cy + su[k] * hu * uy + sv[k] * hv * vy;
        }
        return new Quad(nx, ny);
    }

    private static double[] sides(Quad q) {
        return MinAreaRect.sides(q);
    }

    /** Map pixels to image pixels: scaled, rounded and clipped to the image as PaddleOCR does. */
    private static Quad rescale(Quad q, double sx, double sy, int imageWidth, int imageHeight) {
        double[] xs = q.xs();
        double[] ys = q.ys();
        for (int k = 0; k < 4; k++) {
            xs[k] = Math.clamp(Math.round(xs[k] * sx), 0, imageWidth - 1);
            ys[k] = Math.clamp(Math.round(ys[k] * sy), 0, imageHeight - 1);
        }
        return new Quad(xs, ys);
    }

    private static double min(double[] v) {
        return Math.min(Math.min(v[0], v[1]), Math.min(v[2], v[3]));
    }

    private static double max(double[] v) {
        return Math.max(Math.max(v[0], v[1]), Math.max(v[2], v[3]));
    }
}
