package dev.octet.data;

import java.awt.geom.AffineTransform;
import java.awt.geom.Area;
import java.awt.geom.Path2D;
import java.awt.geom.PathIterator;
import java.util.ArrayList;
import java.util.List;

/**
 * A four-cornered box in image pixels (a text line's box; not necessarily axis-aligned), corners in order around
 * the box.
 */
public record Quad(double[] xs, double[] ys) {
    public Quad {
        if (xs.length != 4 || ys.length != 4) {
            throw new IllegalArgumentException("a quad has 4 corners");
        }
        xs = xs.clone();
        ys = ys.clone();
    }

    /** The axis-aligned box from (x0, y0) to (x1, y1). */
    public static Quad box(double x0, double y0, double x1, double y1) {
        return new Quad(new double[] {x0, x1, x1, x0}, new double[] {y0, y0, y1, y1});
    }

    @Override
    public double[] xs() {
        return xs.clone();
    }

    @Override
    public double[] ys() {
        return ys.clone();
    }

    /** The area (shoelace formula; the order of the corners does not change its sign here). */
    public double area() {
        return Math.abs(signedArea(xs, ys));
    }

    /** The quad moved by the transform (a rotated page carries its boxes along). */
    public Quad transform(AffineTransform t) {
        double[] src = new double[8];
        for (int i = 0; i < 4; i++) {
            src[2 * i] = xs[i];
            src[2 * i + 1] = ys[i];
        }
        double[] dst = new double[8];
        t.transform(src, 0, dst, 0, 4);
        return new Quad(new double[] {dst[0], dst[2], dst[4], dst[6]}, new double[] {dst[1], dst[3], dst[5], dst[7]});
    }

    /** Intersection over union with another quad (0 where either has no area). */
    public double iou(Quad other) {
        double a = area();
        double b = other.area();
        if (a <= 0 || b <= 0) {
            return 0;
        }
        Area inter = new Area(path());
        inter.intersect(new Area(other.path()));
        double i = areaOf(inter);
        return i / (a + b - i);
    }

    /** The outline as a closed path. */
    public Path2D path() {
        Path2D.Double p = new Path2D.Double();
        p.moveTo(xs[0], ys[0]);
        for (int i = 1; i < 4; i++) {
            p.lineTo(xs[i], ys[i]);
        }
        p.closePath();
        return p;
    }

    /** The area of a shape made of straight edges (intersections of quads are). */
    private static double areaOf(Area shape) {
        double total = 0;
        List<double[]> poly = new ArrayList<>();
        double[] c = new double[6];
        for (PathIterator it = shape.getPathIterator(null); !it.isDone(); it.next()) {
            int type = it.currentSegment(c);
            if (type == PathIterator.SEG_MOVETO) {
                total += polygonArea(poly);
                poly.clear();
                poly.add(new double[] {c[0], c[1]});
            } else if (type == PathIterator.SEG_LINETO) {
                poly.add(new double[] {c[0], c[1]});
            } else if (type == PathIterator.SEG_CLOSE) {
                total += polygonArea(poly);
                poly.clear();
            }
        }
        return total + polygonArea(poly);
    }

    private static double polygonArea(List<double[]> poly) {
        double s = 0;
        for (int i = 0; i < poly.size(); i++) {
            double[] p = poly.get(i);
            double[] q = poly.get((i + 1) % poly.size());
            s += p[0] * q[1] - q[0] * p[1];
        }
        return Math.abs(s) / 2;
    }

    private static double signedArea(double[] x, double[] y) {
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            int j = (i + 1) % x.length;
            s += x[i] * y[j] - x[j] * y[i];
        }
        return s / 2;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < 4; i++) {
            sb.append(i == 0 ? "" : " ").append(String.format("(%.1f,%.1f)", xs[i], ys[i]));
        }
        return sb.append(']').toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Quad q && java.util.Arrays.equals(q.xs, xs) && java.util.Arrays.equals(q.ys, ys);
    }

    @Override
    public int hashCode() {
        return 31 * java.util.Arrays.hashCode(xs) + java.util.Arrays.hashCode(ys);
    }
}
