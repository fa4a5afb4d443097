package dev.octet.eval;

import dev.octet.data.Quad;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One-to-one matching of detected boxes to true boxes at an IoU threshold (ICDAR's rule): pairs are taken in
 * order of decreasing IoU, each box in at most one pair.
 */
final class BoxMatcher {
    private BoxMatcher() {
    }

    /** How many detections match a true box with IoU ≥ {@code minIou}. */
    public static int matches(List<Quad> truth, List<Quad> detected, double minIou) {
        record Pair(int t, int d, double iou) {
        }
        List<Pair> pairs = new ArrayList<>();
        for (int t = 0; t < truth.size(); t++) {
            for (int d = 0; d < detected.size(); d++) {
                double iou = truth.get(t).iou(detected.get(d));
                if (iou >= minIou) {
                    pairs.add(new Pair(t, d, iou));
                }
            }
        }
        pairs.sort(Comparator.comparingDouble(Pair::iou).reversed());
        boolean[] usedT = new boolean[truth.size()];
        boolean[] usedD = new boolean[detected.size()];
        int n = 0;
        for (Pair p : pairs) {
            if (!usedT[p.t] && !usedD[p.d]) {
                usedT[p.t] = true;
                usedD[p.d] = true;
                n++;
            }
        }
        return n;
    }
}
