package dev.octet.eval;

import dev.octet.data.Images;
import dev.octet.data.LabelledLine;
import dev.octet.data.Preprocessing;
import dev.octet.ir.OctetException;
import dev.octet.ir.Tensor;
import java.util.List;

/**
 * Text orientation accuracy (PP-OCR cls): lines preprocessed to 48 x 192 (aspect kept, padded), in batches; the
 * class with the higher probability is the answer, class 0 upright and class 1 upside down (PaddleOCR's
 * label_list ['0', '180']).
 */
public final class OrientationEvaluator {
    private static final int BATCH = 8;

    private final Preprocessing preprocessing;

    public OrientationEvaluator() {
        this(Preprocessing.ppocrCls());
    }

    public OrientationEvaluator(Preprocessing preprocessing) {
        this.preprocessing = preprocessing;
    }

    public AccuracyReport evaluate(ModelRunner model, List<LabelledLine> lines) {
        long start = System.nanoTime();
        long right = 0;
        double[] rightPerSample = new double[lines.size()];
        for (int from = 0; from < lines.size(); from += BATCH) {
            List<LabelledLine> batch = lines.subList(from, Math.min(lines.size(), from + BATCH));
            Tensor probs = model.runImage(Images.toTensor(batch.stream().map(LabelledLine::image).toList(),
                    preprocessing));
            if (probs.rank() != 2 || probs.dim(0) != batch.size() || probs.dim(1) != 2) {
                throw new OctetException("an orientation classifier's output should be [batch, 2], got "
                        + probs.type());
            }
            for (int i = 0; i < batch.size(); i++) {
                int said = probs.getDouble(2 * i + 1) > probs.getDouble(2 * i) ? 180 : 0;
                if (said == batch.get(i).rotation()) {
                    right++;
                    rightPerSample[from + i] = 1;
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new AccuracyReport(lines.size(), ConfidenceInterval.wilson(right, lines.size()), seconds,
                rightPerSample);
    }
}
