package dev.octet.eval;

import dev.octet.data.DbPostProcess;
import dev.octet.data.Images;
import dev.octet.data.LabelledPage;
import dev.octet.data.Preprocessing;
import dev.octet.data.Quad;
import dev.octet.ir.Tensor;
import java.util.List;

/**
 * Text detection quality (PP-OCR det): each page preprocessed as PaddleOCR does (longer side at most the limit,
 * sides multiples of 32), the probability map through {@link DbPostProcess}, the boxes matched one-to-one with
 * the true line boxes at IoU ≥ 0.5.
 */
public final class DetectionEvaluator {
    /** The IoU at which a detection counts. */
    public static final double MIN_IOU = 0.5;

    private final Preprocessing preprocessing;
    private final DbPostProcess post;

    /** @param limit the bound on the longer side of the model's input (PaddleOCR: 960; Octet's default 640) */
    public DetectionEvaluator(int limit, DbPostProcess post) {
        this.preprocessing = Preprocessing.ppocrDet(limit);
        this.post = post;
    }

    public DetectionReport evaluate(ModelRunner model, List<LabelledPage> pages) {
        long start = System.nanoTime();
        double[] twiceMatched = new double[pages.size()];
        double[] boxes = new double[pages.size()];
        int truth = 0;
        int detected = 0;
        int matched = 0;
        for (int i = 0; i < pages.size(); i++) {
            LabelledPage page = pages.get(i);
            Tensor map = model.runImage(Images.toTensor(page.image(), preprocessing, 1));
            List<Quad> found = post.boxes(map, page.image().getWidth(), page.image().getHeight()).stream()
                    .map(DbPostProcess.Detection::box).toList();
            int m = BoxMatcher.matches(page.boxes(), found, MIN_IOU);
            truth += page.boxes().size();
            detected += found.size();
            matched += m;
            twiceMatched[i] = 2.0 * m;
            boxes[i] = page.boxes().size() + found.size();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new DetectionReport(pages.size(), truth, detected, matched, ConfidenceInterval.wilson(matched, detected),
                ConfidenceInterval.wilson(matched, truth), ConfidenceInterval.bootstrapRatio(twiceMatched, boxes, 1),
                seconds, twiceMatched, boxes);
    }
}
