package dev.octet.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.awt.geom.AffineTransform;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class QuadTest {
    @Test
    void iouOfAxisAlignedAndRotatedBoxes() {
        Quad a = Quad.box(0, 0, 10, 10);
        assertThat(a.area()).isEqualTo(100);
        assertThat(a.iou(a)).isCloseTo(1, within(1e-12));
        assertThat(a.iou(Quad.box(5, 0, 15, 10))).isCloseTo(50.0 / 150, within(1e-12));
        assertThat(a.iou(Quad.box(20, 20, 30, 30))).isZero();
        // A square turned 45° about its centre overlaps itself in a regular octagon: (2√2 − 2)·s² of area.
        Quad turned = a.transform(AffineTransform.getRotateInstance(Math.PI / 4, 5, 5));
        double octagon = (2 * Math.sqrt(2) - 2) * 100;
        assertThat(a.iou(turned)).isCloseTo(octagon / (200 - octagon), within(1e-9));
    }

    @Test
    void minAreaRectOfARotatedRectanglesPointsIsThatRectangle() {
        AffineTransform t = AffineTransform.getRotateInstance(Math.toRadians(17), 50, 20);
        List<double[]> points = new ArrayList<>();
        for (int x = 0; x <= 40; x++) {
            for (int y = 0; y <= 10; y++) {
                double[] p = {x + 30, y + 15};
                t.transform(p, 0, p, 0, 1);
                points.add(p);
            }
        }
        Quad r = MinAreaRect.of(points);
        assertThat(r.area()).isCloseTo(400, within(1e-6));
        assertThat(r.iou(Quad.box(30, 15, 70, 25).transform(t))).isCloseTo(1, within(1e-6));
        double[] sides = MinAreaRect.sides(r);
        assertThat(Math.max(sides[0], sides[1])).isCloseTo(40, within(1e-6));
    }
}
