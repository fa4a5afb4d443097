package dev.octet.eval;

import dev.octet.data.CtcDecoder;
import dev.octet.data.Images;
import dev.octet.data.LabelledLine;
import dev.octet.data.Preprocessing;
import dev.octet.ir.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Text recognition accuracy (PP-OCR rec): each line alone, preprocessed as PaddleOCR does (height 48, width with
 * the aspect ratio, at least 320 padded), greedy CTC decoding with the model's dictionary, then compared with the
 * label with spaces removed from both (PaddleOCR's RecMetric, ignore_space: a model may or may not print the
 * space between words, which is not what is measured here).
 */
public final class RecognitionEvaluator {
    private static final int MISTAKES_SHOWN = 5;

    private final CtcDecoder decoder;
    private final Preprocessing preprocessing;

    public RecognitionEvaluator(CtcDecoder decoder) {
        this(decoder, Preprocessing.ppocrRec());
    }

    public RecognitionEvaluator(CtcDecoder decoder, Preprocessing preprocessing) {
        this.decoder = decoder;
        this.preprocessing = preprocessing;
    }

    /** Reads every line with {@code model} and scores it. */
    public RecognitionReport evaluate(ModelRunner model, List<LabelledLine> lines) {
        long start = System.nanoTime();
        double[] correct = new double[lines.size()];
        double[] lengths = new double[lines.size()];
        long exact = 0;
        long total = 0;
        List<String[]> mistakes = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            LabelledLine line = lines.get(i);
            Tensor probs = model.runImage(Images.toTensor(line.image(), preprocessing, 1));
            String read = withoutSpaces(decoder.decode(probs).getFirst().text());
            String label = withoutSpaces(line.text());
            int length = label.codePointCount(0, label.length());
            int edits = EditDistance.between(label, read);
            // A line cannot lose more characters than it has: inserted garbage counts up to the label's length.
            correct[i] = Math.max(0, length - edits);
            lengths[i] = length;
            total += length;
            if (edits == 0) {
                exact++;
            } else if (mistakes.size() < MISTAKES_SHOWN) {
                mistakes.add(new String[] {line.text(), read});
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new RecognitionReport(lines.size(), ConfidenceInterval.wilson(exact, lines.size()),
                ConfidenceInterval.bootstrapRatio(correct, lengths, 1), total, seconds, mistakes, correct, lengths);
    }

    static String withoutSpaces(String s) {
        return s.replace(" ", "");
    }
}
