package dev.octet.data;

import dev.octet.ir.OctetException;
import dev.octet.ir.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Greedy CTC decoding of a text recogniser's output [N, T, classes] (PaddleOCR's CTCLabelDecode): take the best
 * class at each step, merge repeats, drop blanks. Class 0 is the blank, classes 1..K the dictionary's lines and,
 * where the output has K + 2 classes, class K + 1 a space (PaddleOCR's use_space_char).
 */
public final class CtcDecoder {
    private final List<String> dictionary;

    /** A decoder over the dictionary's characters, one per entry, in class order from class 1. */
    public CtcDecoder(List<String> dictionary) {
        this.dictionary = List.copyOf(dictionary);
    }

    /** A dictionary in PaddleOCR's text form: one character per line (a model's "character" metadata too). */
    public static CtcDecoder fromLines(String text) {
        return new CtcDecoder(dictionaryLines(text));
    }

    /** The characters of a dictionary in PaddleOCR's text form, in class order (trailing empty lines dropped). */
    public static List<String> dictionaryLines(String text) {
        List<String> lines = new ArrayList<>(List.of(text.split("\r?\n", -1)));
        while (!lines.isEmpty() && lines.getLast().isEmpty()) {
            lines.removeLast();
        }
        return lines;
    }

    /** The dictionary, one character per class from class 1. */
    public List<String> dictionary() {
        return dictionary;
    }

    /** The text of one line and the mean probability of the characters kept (0 for an empty text). */
    public record Line(String text, double confidence) {
    }

    /** Decodes each row of a FLOAT [N, T, classes] tensor of per-step class probabilities. */
    public List<Line> decode(Tensor probs) {
        if (probs.rank() != 3 || !probs.dtype().isFloat()) {
            throw new OctetException("CTC decoding needs a float [batch, steps, classes] output, got "
                    + probs.type());
        }
        int n = probs.dim(0);
        int steps = probs.dim(1);
        int classes = probs.dim(2);
        if (classes != dictionary.size() + 1 && classes != dictionary.size() + 2) {
            throw new OctetException("the output has " + classes + " classes but the dictionary has "
                    + dictionary.size() + " characters (expected " + (dictionary.size() + 1) + " or "
                    + (dictionary.size() + 2) + " classes)");
        }
        List<Line> out = new ArrayList<>();
        for (int b = 0; b < n; b++) {
            StringBuilder text = new StringBuilder();
            double sum = 0;
            int kept = 0;
            int previous = -1;
            for (int t = 0; t < steps; t++) {
                int base = (b * steps + t) * classes;
                int best = probs.argmax(base, classes);
                double bestP = probs.getDouble(base + best);
                if (best != 0 && best != previous) {
                    text.append(best <= dictionary.size() ? dictionary.get(best - 1) : " ");
                    sum += bestP;
                    kept++;
                }
                previous = best;
            }
            out.add(new Line(text.toString(), kept == 0 ? 0 : sum / kept));
        }
        return out;
    }
}
