package dev.octet.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.octet.testing.TestData;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextPageSetTest {
    private static TextPageSet pages(ImageDegradation d) throws Exception {
        return pages(d, PageStyle.PLAIN);
    }

    private static TextPageSet pages(ImageDegradation d, PageStyle style) throws Exception {
        return new TextPageSet(CtcDecoder.dictionaryLines(Files.readString(TestData.ppocrKeys())),
                FontSet.installed(), 5, Split.EVALUATION, d, style);
    }

    /** Pixels darker than the paper (the page's corner) by more than 60. */
    private static int ink(BufferedImage img, int x0, int y0, int x1, int y1) {
        int paper = img.getRGB(0, 0) & 255;
        int n = 0;
        for (int y = Math.max(0, y0); y < Math.min(img.getHeight(), y1); y++) {
            for (int x = Math.max(0, x0); x < Math.min(img.getWidth(), x1); x++) {
                n += (img.getRGB(x, y) & 255) < paper - 60 ? 1 : 0;
            }
        }
        return n;
    }

    @Test
    void everyLineHasABoxAroundItsInkAndBoxesDoNotOverlap() throws Exception {
        for (int i = 0; i < 8; i++) {
            LabelledPage page = pages(ImageDegradation.NONE).page(i);
            BufferedImage img = page.image();
            List<Quad> boxes = page.boxes();
            assertThat(boxes).hasSizeBetween(2, 8).hasSameSizeAs(page.texts());
            int inside = 0;
            for (int b = 0; b < boxes.size(); b++) {
                Quad q = boxes.get(b);
                double[] xs = q.xs();
                double[] ys = q.ys();
                for (int k = 0; k < 4; k++) {
                    assertThat(xs[k]).isBetween(0.0, (double) img.getWidth());
                    assertThat(ys[k]).isBetween(0.0, (double) img.getHeight());
                }
                int n = ink(img, (int) xs[0], (int) ys[0], (int) Math.ceil(xs[2]), (int) Math.ceil(ys[2]));
                assertThat(n).as("ink in box %s of page %d", q, i).isPositive();
                inside += n;
                for (int c = b + 1; c < boxes.size(); c++) {
                    assertThat(q.iou(boxes.get(c))).isZero();
                }
            }
            assertThat(inside).as("all ink is in the boxes").isEqualTo(ink(img, 0, 0, img.getWidth(),
                    img.getHeight()));
        }
    }

    @Test
    void aRotatedPageCarriesItsBoxesAlong() throws Exception {
        LabelledPage page = pages(new ImageDegradation(2.0, 0, 0)).page(1);
        assertThat(page.image().getWidth() % 32 != 0 || page.image().getHeight() % 32 != 0).isTrue();
        for (Quad q : page.boxes()) {
            double[] xs = q.xs();
            double[] ys = q.ys();
            double cx = (xs[0] + xs[2]) / 2;
            double cy = (ys[0] + ys[2]) / 2;
            // The centre of a line's box is near ink after the rotation as it was before.
            assertThat(ink(page.image(), (int) cx - 30, (int) cy - 6, (int) cx + 30, (int) cy + 6)).isPositive();
        }
    }

    @Test
    void clutteredPagesHoldMoreSmallerLinesWithDisjointBoxesAndAreReproducible() throws Exception {
        TextPageSet set = pages(ImageDegradation.NONE, PageStyle.CLUTTERED);
        int lines = 0;
        for (int i = 0; i < 8; i++) {
            LabelledPage page = set.page(i);
            BufferedImage img = page.image();
            List<Quad> boxes = page.boxes();
            assertThat(boxes).hasSameSizeAs(page.texts()).isNotEmpty();
            lines += boxes.size();
            for (int b = 0; b < boxes.size(); b++) {
                double[] ys = boxes.get(b).ys();
                assertThat(ys[2] - ys[0]).as("box height").isLessThan(PageStyle.CLUTTERED.maxFont() * 1.6);
                for (int c = b + 1; c < boxes.size(); c++) {
                    assertThat(boxes.get(b).iou(boxes.get(c))).isZero();
                }
            }
            BufferedImage again = set.page(i).image();
            for (int y = 0; y < img.getHeight(); y += 7) {
                for (int x = 0; x < img.getWidth(); x += 7) {
                    assertThat(again.getRGB(x, y)).isEqualTo(img.getRGB(x, y));
                }
            }
        }
        int plain = 0;
        for (int i = 0; i < 8; i++) {
            plain += pages(ImageDegradation.NONE).page(i).boxes().size();
        }
        assertThat(lines).as("lines on 8 cluttered pages against %d on plain ones", plain).isGreaterThan(plain);
    }
}
