package dev.octet.eval;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How well a recogniser read labelled lines.
 *
 * @param lines lines read
 * @param exactLines the fraction read exactly (spaces ignored), with its Wilson interval
 * @param characters 1 − Σ edit distance / Σ label length over all lines (spaces ignored), bootstrap interval
 * @param labelCharacters Σ label length
 * @param seconds wall time of preprocessing, running and decoding
 * @param mistakes a few lines read wrongly: label, then what was read
 * @param correctPerLine per line: label length minus edit distance, at least 0 (for paired comparisons)
 * @param lengthPerLine per line: label length (spaces ignored)
 */
public record RecognitionReport(int lines, ConfidenceInterval exactLines, ConfidenceInterval characters,
        long labelCharacters, double seconds, List<String[]> mistakes, double[] correctPerLine,
        double[] lengthPerLine) implements EvalReport {

    @Override
    public Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("lines", lines);
        m.put("characters", labelCharacters);
        m.put("exact_line_accuracy", Reports.json(exactLines));
        m.put("character_accuracy", Reports.json(characters));
        m.put("seconds", seconds);
        m.put("mistakes", mistakes.stream().map(p -> Map.of("label", p[0], "read", p[1])).toList());
        return m;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("lines       %d (%d characters), %.1f s%n", lines, labelCharacters, seconds));
        sb.append("characters  ").append(characters).append(String.format("  (±%.2f points)%n",
                100 * characters.halfWidth()));
        sb.append("exact lines ").append(exactLines).append(String.format("  (±%.2f points)%n",
                100 * exactLines.halfWidth()));
        for (String[] m : mistakes) {
            sb.append(String.format("mistake     \"%s\" read as \"%s\"%n", m[0], m[1]));
        }
        return sb.toString();
    }
}
