package dev.octet.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.octet.testing.TestData;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TextLineSetTest {
    private static List<String> dictionary() throws Exception {
        return CtcDecoder.dictionaryLines(Files.readString(TestData.ppocrKeys()));
    }

    private static boolean samePixels(BufferedImage a, BufferedImage b) {
        if (a.getWidth() != b.getWidth() || a.getHeight() != b.getHeight()) {
            return false;
        }
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                if (a.getRGB(x, y) != b.getRGB(x, y)) {
                    return false;
                }
            }
        }
        return true;
    }

    @Test
    void theSameSeedAndIndexGiveTheSameLineAndOtherIndicesOtherLines() throws Exception {
        TextLineSet a = TextLineSet.of(dictionary(), 7, Split.EVALUATION);
        TextLineSet b = TextLineSet.of(dictionary(), 7, Split.EVALUATION);
        LabelledLine first = a.line(3);
        LabelledLine again = b.line(3);
        assertThat(again.text()).isEqualTo(first.text());
        assertThat(samePixels(first.image(), again.image())).isTrue();
        Set<String> texts = new HashSet<>();
        for (LabelledLine l : a.lines(20)) {
            texts.add(l.text());
        }
        assertThat(texts).hasSize(20);
    }

    @Test
    void calibrationAndEvaluationSplitsShareNoLine() throws Exception {
        Set<String> calibration = new HashSet<>();
        TextLineSet cal = TextLineSet.of(dictionary(), 1, Split.CALIBRATION);
        TextLineSet eval = TextLineSet.of(dictionary(), 1, Split.EVALUATION);
        for (int i = 0; i < 50; i++) {
            calibration.add(cal.line(i).text());
        }
        for (int i = 0; i < 50; i++) {
            assertThat(calibration).doesNotContain(eval.line(i).text());
        }
        assertThat(Split.CALIBRATION.sampleSeed(1, 5)).isNotEqualTo(Split.EVALUATION.sampleSeed(1, 5));
    }

    @Test
    void labelsUseOnlyTheDictionaryAndHaveDigitsPunctuationAndLetters() throws Exception {
        Set<String> dict = new HashSet<>(dictionary());
        StringBuilder all = new StringBuilder();
        for (LabelledLine l : TextLineSet.of(dictionary(), 2, Split.EVALUATION).lines(60)) {
            assertThat(l.text()).isNotBlank();
            assertThat(l.image().getHeight()).isBetween(32, 200);
            l.text().codePoints().filter(c -> c != ' ').forEach(c -> assertThat(dict).contains(Character.toString(c)));
            all.append(l.text());
        }
        String s = all.toString();
        assertThat(s).containsPattern("[0-9]").containsPattern("[A-Za-z]").containsPattern("[.,:;!?()%+#&'-]");
        if (FontSet.installed().hasCjk()) {
            assertThat(s.codePoints().anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN))
                    .isTrue();
        }
    }

    @Test
    void orientedLinesAreTurnedForAboutHalfTheSamples() throws Exception {
        TextLineSet set = TextLineSet.of(dictionary(), 3, Split.EVALUATION);
        int turned = 0;
        for (int i = 0; i < 40; i++) {
            LabelledLine l = set.orientedLine(i);
            LabelledLine upright = set.line(i);
            assertThat(l.text()).isEqualTo(upright.text());
            if (l.rotation() == 180) {
                turned++;
                assertThat(l.image().getRGB(5, 7)).isEqualTo(upright.image().getRGB(
                        upright.image().getWidth() - 6, upright.image().getHeight() - 8));
            } else {
                assertThat(samePixels(l.image(), upright.image())).isTrue();
            }
        }
        assertThat(turned).isBetween(10, 30);
    }
}
