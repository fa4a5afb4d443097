package dev.octet.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.octet.ir.OctetException;
import dev.octet.ir.Tensor;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImagesTest {
    private static final int R = 200;
    private static final int G = 100;
    private static final int B = 50;

    private static BufferedImage solid(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, (R << 16) | (G << 8) | B);
            }
        }
        return img;
    }

    @Test
    void ppocrDetectionIsBgrNchwWithImageNetStatisticsInBgrOrder() {
        Tensor t = Images.toTensor(solid(64, 64), Preprocessing.ppocrDet(640).withSize(32, 32)
                .withResize(Preprocessing.Resize.STRETCH), 1);
        assertThat(t.shape()).containsExactly(1, 3, 32, 32);
        // Channel 0 is blue, normalised with the first mean and std (OpenCV's BGR order).
        assertThat(t.floats()[0]).isCloseTo((float) ((B / 255.0 - 0.485) / 0.229), within(1e-6f));
        assertThat(t.floats()[32 * 32]).isCloseTo((float) ((G / 255.0 - 0.456) / 0.224), within(1e-6f));
        assertThat(t.floats()[2 * 32 * 32]).isCloseTo((float) ((R / 255.0 - 0.406) / 0.225), within(1e-6f));
    }

    @Test
    void blazefaceIsRgbNhwcInMinusOneToOne() {
        Tensor t = Images.toTensor(solid(300, 200), Preprocessing.blazeface(128), 1);
        assertThat(t.shape()).containsExactly(1, 128, 128, 3);
        assertThat(t.floats()[0]).isCloseTo(R / 255f * 2 - 1, within(1e-6f));
        assertThat(t.floats()[1]).isCloseTo(G / 255f * 2 - 1, within(1e-6f));
        assertThat(t.floats()[2]).isCloseTo(B / 255f * 2 - 1, within(1e-6f));
    }

    @Test
    void mlsdIsRgbaNhwcWithRawPixelsAndAlphaOne() {
        Tensor t = Images.toTensor(solid(10, 10), Preprocessing.mlsd(320), 2);
        assertThat(t.shape()).containsExactly(2, 320, 320, 4);
        assertThat(new float[] {t.floats()[0], t.floats()[1], t.floats()[2], t.floats()[3]})
                .containsExactly(R, G, B, 1);
        int last = t.size() - 4;
        assertThat(t.floats()[last + 3]).isEqualTo(1f);
    }

    @Test
    void textLinesKeepTheirAspectAndArePaddedWithZeros() {
        // 100 x 20 scales to 240 x 48 in a 320 wide tensor: columns 240.. are padding.
        Tensor t = Images.toTensor(solid(100, 20), Preprocessing.ppocrRec(), 1);
        assertThat(t.shape()).containsExactly(1, 3, 48, 320);
        assertThat(t.floats()[239]).isCloseTo((float) ((B / 255.0 - 0.5) / 0.5), within(1e-6f));
        assertThat(t.floats()[240]).isZero();
        assertThat(t.floats()[319]).isZero();
        // A line wider than the classifier's 192 is squeezed to that width, not cut...
        Tensor squeezed = Images.toTensor(solid(1000, 20), Preprocessing.ppocrCls(), 1);
        assertThat(squeezed.shape()).containsExactly(1, 3, 48, 192);
        assertThat(squeezed.floats()[191]).isNotZero();
        // ... while the recogniser's tensor widens to the line, as wide as the widest line of a batch.
        assertThat(Images.toTensor(solid(1000, 20), Preprocessing.ppocrRec(), 1).shape())
                .containsExactly(1, 3, 48, 2400);
        assertThat(Images.toTensor(java.util.List.of(solid(100, 20), solid(200, 20)), Preprocessing.ppocrRec())
                .shape()).containsExactly(2, 3, 48, 480);
    }

    @Test
    void detectionSizesAreBoundedMultiplesOf32() {
        Preprocessing det = Preprocessing.ppocrDet(640);
        assertThat(Images.targetSize(1280, 720, det)).containsExactly(352, 640);
        assertThat(Images.targetSize(100, 50, det)).containsExactly(64, 96);
        assertThat(Images.targetSize(10, 10, det)).containsExactly(32, 32);
    }

    @Test
    void bilinearResizeInterpolatesBetweenPixelCentres() {
        BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, 0);
        img.setRGB(1, 0, 0xFFFFFF);
        float[][] out = Images.resizeBilinear(img, 1, 4);
        // Output centres at 0.125, 0.375, 0.625, 0.875 of the width map to source x -0.25, 0.25, 0.75, 1.25.
        assertThat(out[0]).containsExactly(0f, 63.75f, 191.25f, 255f);
        float[][] same = Images.resizeBilinear(img, 1, 2);
        assertThat(same[1]).containsExactly(0f, 255f);
    }

    @Test
    void loadsPngAndNamesUnreadableFiles(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("a.png");
        ImageIO.write(solid(3, 2), "png", png.toFile());
        assertThat(Images.load(png).getWidth()).isEqualTo(3);
        Path bad = Files.writeString(dir.resolve("b.jpg"), "not an image");
        assertThatThrownBy(() -> Images.load(bad)).isInstanceOf(OctetException.class)
                .hasMessageContaining("b.jpg").hasMessageContaining("not an image format");
        assertThatThrownBy(() -> Images.load(dir.resolve("missing.png"))).isInstanceOf(OctetException.class)
                .hasMessageContaining("no such file");
    }
}
