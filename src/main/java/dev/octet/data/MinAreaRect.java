package dev.octet.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The rotated rectangle of least area around a set of points (OpenCV's minAreaRect): the convex hull, then
 * rotating calipers — one side of the best rectangle lies on a hull edge, so trying every edge's direction finds it.
 */
final class MinAreaRect {
    private MinAreaRect() {
    }

    /**
     * The rectangle around {@code points} (each {x, y}); its corners go around the rectangle. For fewer than
     * two distinct points the rectangle is degenerate (zero sides) at the points.
     */
    static Quad of(List<double[]> points) {
        List<double[]> hull = convexHull(points);
        if (hull.size() == 1) {
            double[] p = hull.getFirst();
            return Quad.box(p[0], p[1], p[0], p[1]);
        }
        double bestArea = Double.POSITIVE_INFINITY;
        Quad best = null;
        for (int i = 0; i < hull.size(); i++) {
            double[] a = hull.get(i);
            double[] b = hull.get((i + 1) % hull.size());
            double len = Math.hypot(b[0] - a[0], b[1] - a[1]);
            if (len == 0) {
                continue;
            }
            double ux = (b[0] - a[0]) / len;
            double uy = (b[1] - a[1]) / len;
            double minU = Double.POSITIVE_INFINITY;
            double maxU = Double.NEGATIVE_INFINITY;
            double minV = Double.POSITIVE_INFINITY;
            double maxV = Double.NEGATIVE_INFINITY;
            for (double[] p : hull) {
                double u = p[0] * ux + p[1] * uy;
                double v = -p[0] * uy + p[1] * ux;
                minU = Math.min(minU, u);
                maxU = Math.max(maxU, u);
                minV = Math.min(minV, v);
                maxV = Math.max(maxV, v);
            }
            double area = (maxU - minU) * (maxV - minV);
            if (area < bestArea) {
                bestArea = area;
                double[] us = {minU, maxU, maxU, minU};
                double[] vs = {minV, minV, maxV, maxV};
                double[] xs = new double[4];
                double[] ys = new double[4];
                for (int k = 0; k < 4; k++) {
                    xs[k] = us[k] * ux - vs[k] * uy;
                    ys[k] = us[k] * uy + vs[k] * ux;
                }
                best = new Quad(xs, ys);
            }
        }
        return best;
    }

    /** The lengths of a rectangle's two sides: {first side, second side}. */
    static double[] sides(Quad q) {
        double[] x = q.xs();
        double[] y = q.ys();
        return new double[] {Math.hypot(x[1] - x[0], y[1] - y[0]), Math.hypot(x[2] - x[1], y[2] - y[1])};
    }

    /** Andrew's monotone chain; collinear points are dropped. */
    static List<double[]> convexHull(List<double[]> points) {
        double[][] p = points.toArray(double[][]::new);
        Arrays.sort(p, Comparator.<double[]>comparingDouble(a -> a[0]).thenComparingDouble(a -> a[1]));
        if (p.length < 3) {
            List<double[]> few = new ArrayList<>();
            for (double[] q : p) {
                if (few.isEmpty() || few.getLast()[0] != q[0] || few.getLast()[1] != q[1]) {
                    few.add(q);
                }
            }
            return few;
        }
        double[][] hull = new double[2 * p.length][];
        int k = 0;
        for (double[] q : p) {
            while (k >= 2 && cross(hull[k - 2], hull[k - 1], q) <= 0) {
                k--;
            }
            hull[k++] = q;
        }
        for (int i = p.length - 2, lower = k + 1; i >= 0; i--) {
            while (k >= lower && cross(hull[k - 2], hull[k - 1], p[i]) <= 0) {
                k--;
            }
            hull[k++] = p[i];
        }
        return new ArrayList<>(Arrays.asList(hull).subList(0, Math.max(1, k - 1)));
    }

    private static double cross(double[] o, double[] a, double[] b) {
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
    }
}
