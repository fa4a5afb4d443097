package dev.octet.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.octet.ir.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class DbPostProcessTest {
    private static Tensor map(int h, int w, float[][] regions) {
        float[] p = new float[h * w];
        for (float[] r : regions) { // x0, y0, x1, y1 (inclusive), probability
            for (int y = (int) r[1]; y <= r[3]; y++) {
                for (int x = (int) r[0]; x <= r[2]; x++) {
                    p[y * w + x] = r[4];
                }
            }
        }
        return Tensor.ofFloats(new int[] {1, 1, h, w}, p);
    }

    @Test
    void eachConfidentRegionBecomesOneBoxGrownByAreaTimesRatioOverPerimeter() {
        Tensor probs = map(64, 128, new float[][] {{10, 10, 69, 19, 0.9f}, {20, 40, 39, 49, 0.5f},
            {90, 40, 91, 60, 0.95f}});
        List<DbPostProcess.Detection> boxes = DbPostProcess.paddleDefaults().boxes(probs, 128, 64);
        // The 0.5 region is above the pixel threshold but under the box threshold; the 2-pixel-wide one is too thin.
        assertThat(boxes).hasSize(1);
        DbPostProcess.Detection d = boxes.getFirst();
        assertThat(d.score()).isCloseTo(0.9, within(1e-6));
        // Pixel centres 10..69 x 10..19: a 59 x 9 rectangle, grown by 59·9·1.5/(2·68) on each side.
        double grow = 59 * 9 * 1.5 / (2 * 68);
        Quad expected = Quad.box(10 - grow, 10 - grow, 69 + grow, 19 + grow);
        assertThat(d.box().iou(expected)).isGreaterThan(0.95);
    }

    @Test
    void boxesAreScaledBackToTheImage() {
        Tensor probs = map(32, 64, new float[][] {{8, 8, 47, 15, 0.8f}});
        List<DbPostProcess.Detection> boxes = DbPostProcess.paddleDefaults().boxes(probs, 128, 64);
        assertThat(boxes).hasSize(1);
        double[] xs = boxes.getFirst().box().xs();
        double[] ys = boxes.getFirst().box().ys();
        assertThat(java.util.Arrays.stream(xs).max().getAsDouble()).isGreaterThan(2 * 47);
        assertThat(java.util.Arrays.stream(ys).max().getAsDouble()).isGreaterThan(2 * 15);
        assertThat(java.util.Arrays.stream(xs).min().getAsDouble()).isLessThan(2 * 8);
    }
}
