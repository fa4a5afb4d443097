package dev.octet.data;

import java.awt.Font;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Random text-line strings that a PP-OCR recogniser can read: words of Latin letters, numbers (with decimal points,
 * dates and prices), punctuation, and runs of Chinese characters from the model's dictionary. Only characters of
 * the dictionary are used, so every label is a string the model can output.
 */
final class TextSampler {
    private static final String PUNCTUATION = ".,:;!?-()/%+#&'\"";
    private static final int MAX_CHARS = 24;

    private final List<String> letters = new ArrayList<>();
    private final List<String> digits = new ArrayList<>();
    private final List<String> punctuation = new ArrayList<>();
    private final List<String> chinese = new ArrayList<>();
    /** The Chinese characters each font can draw (computed once per font: thousands of glyph look-ups). */
    private final java.util.Map<Font, List<String>> drawable = new java.util.concurrent.ConcurrentHashMap<>();

    /** A sampler over the dictionary's characters (one per entry, as in {@code ppocr_keys_v1.txt}). */
    public TextSampler(List<String> dictionary) {
        for (String c : dictionary) {
            if (c.length() != 1 && c.codePointCount(0, c.length()) != 1) {
                continue;
            }
            int cp = c.codePointAt(0);
            if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z')) {
                letters.add(c);
            } else if (cp >= '0' && cp <= '9') {
                digits.add(c);
            } else if (PUNCTUATION.indexOf(cp) >= 0) {
                punctuation.add(c);
            } else if (Character.UnicodeScript.of(cp) == Character.UnicodeScript.HAN) {
                chinese.add(c);
            }
        }
        if (letters.isEmpty() || digits.isEmpty()) {
            throw new IllegalArgumentException("the dictionary has no Latin letters or digits");
        }
    }

    /**
     * One line: a few tokens separated by spaces, at most {@value #MAX_CHARS} characters besides spaces. Chinese
     * runs appear only where {@code font} can draw them (null: never).
     */
    public String sample(SplittableRandom random, Font font) {
        List<String> han = font == null ? List.of() : drawable.computeIfAbsent(font,
                f -> chinese.stream().filter(c -> f.canDisplayUpTo(c) == -1).toList());
        StringBuilder line = new StringBuilder();
        int tokens = 1 + random.nextInt(4);
        for (int t = 0; t < tokens; t++) {
            String token = switch (han.isEmpty() ? random.nextInt(3) : random.nextInt(5)) {
                case 0, 1 -> word(random);
                case 2 -> number(random);
                default -> run(random, han, 2 + random.nextInt(6));
            };
            if (random.nextInt(4) == 0) {
                token += pick(random, punctuation.isEmpty() ? digits : punctuation);
            }
            if (nonSpace(line) + token.length() > MAX_CHARS && !line.isEmpty()) {
                break;
            }
            line.append(line.isEmpty() ? "" : " ").append(token);
        }
        return line.toString();
    }

    private String word(SplittableRandom r) {
        StringBuilder w = new StringBuilder();
        int n = 2 + r.nextInt(8);
        boolean capital = r.nextInt(3) == 0;
        boolean upper = r.nextInt(8) == 0;
        for (int i = 0; i < n; i++) {
            String c = pick(r, letters);
            w.append(upper || (capital && i == 0) ? c.toUpperCase() : c.toLowerCase());
        }
        return w.toString();
    }

    private String number(SplittableRandom r) {
        String n = run(r, digits, 1 + r.nextInt(5));
        return switch (r.nextInt(4)) {
            case 0 -> n + "." + run(r, digits, 2);
            case 1 -> run(r, digits, 4) + "-" + run(r, digits, 2) + "-" + run(r, digits, 2);
            default -> n;
        };
    }

    private static String run(SplittableRandom r, List<String> chars, int n) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            s.append(pick(r, chars));
        }
        return s.toString();
    }

    private static String pick(SplittableRandom r, List<String> chars) {
        return chars.get(r.nextInt(chars.size()));
    }

    private static int nonSpace(CharSequence s) {
        return (int) s.chars().filter(c -> c != ' ').count();
    }
}
