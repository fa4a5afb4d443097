package dev.octet.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextRendererTest {
    private static int darkPixels(BufferedImage img, int y0, int y1) {
        int n = 0;
        for (int y = y0; y < y1; y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                if ((img.getRGB(x, y) & 0xFF) < 128) {
                    n++;
                }
            }
        }
        return n;
    }

    @Test
    void rendersALineOfDarkGlyphsOnWhiteWithARealFont() {
        TextRenderer r = TextRenderer.withDefaultFont();
        assertThat(Files.isRegularFile(TextRenderer.fontFile())).isTrue();
        BufferedImage line = r.line("Hello 123", 48);
        assertThat(line.getHeight()).isEqualTo(48);
        assertThat(darkPixels(line, 0, 48)).isGreaterThan(100);
        assertThat(line.getRGB(0, 0) & 0xFFFFFF).isEqualTo(0xFFFFFF);
        // Longer text, wider line; the margin is an eighth of the height on each side.
        assertThat(r.line("Hello 123 and more words", 48).getWidth()).isGreaterThan(line.getWidth() + 100);
        assertThat(r.line(".", 48).getWidth()).isLessThan(48);
    }

    @Test
    void rendersAPageLineByLine() {
        BufferedImage page = TextRenderer.withDefaultFont().page(List.of("first line", "", "third"), 40);
        assertThat(page.getHeight()).isEqualTo(120);
        assertThat(darkPixels(page, 0, 40)).isPositive();
        assertThat(darkPixels(page, 40, 80)).isZero();
        assertThat(darkPixels(page, 80, 120)).isPositive();
    }
}
