package dev.octet.eval;

import dev.octet.ir.OctetException;
import dev.octet.ir.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Compares two runners of the same model on the same inputs (fp32 against int8, say), where there are no labels:
 * real photos through BlazeFace or M-LSD. Per output: the least cosine similarity, the largest absolute
 * difference, and whether the strongest responses (top-k of a score map: the faces found, the line centres) are
 * the same. For BlazeFace, whose score outputs [1, anchors, 1] come with box outputs [1, anchors, 16], the boxes
 * the two models regress at the strongest anchors are compared by IoU too (relative to the anchor: the same
 * anchor for both, so its centre cancels).
 */
public final class AgreementEvaluator {
    /** How many of the strongest responses are compared. */
    public static final int TOP_K = 10;

    /** Runs both models on each input tensor and compares their outputs. */
    public AgreementReport evaluate(ModelRunner reference, ModelRunner candidate, List<Tensor> inputs) {
        long start = System.nanoTime();
        Map<String, double[]> acc = new LinkedHashMap<>(); // name → {minCos, maxDiff, maxRef, topSum, iouSum}
        for (Tensor x : inputs) {
            Map<String, Tensor> a = reference.run(Map.of(reference.inputName(), x));
            Map<String, Tensor> b = candidate.run(Map.of(candidate.inputName(), x));
            if (!a.keySet().equals(b.keySet())) {
                throw new OctetException("the two models have different outputs: " + a.keySet() + " and "
                        + b.keySet());
            }
            List<String> names = new ArrayList<>(a.keySet());
            for (String name : names) {
                double[] ra = a.get(name).toDoubles();
                double[] rb = b.get(name).toDoubles();
                if (ra.length != rb.length) {
                    throw new OctetException("output " + name + " has " + ra.length + " values from one model and "
                            + rb.length + " from the other");
                }
                double[] s = acc.computeIfAbsent(name, k -> new double[] {1, 0, 0, 0, 0});
                s[0] = Math.min(s[0], cosine(ra, rb));
                for (int i = 0; i < ra.length; i++) {
                    s[1] = Math.max(s[1], Math.abs(ra[i] - rb[i]));
                    s[2] = Math.max(s[2], Math.abs(ra[i]));
                }
                int[] topA = top(ra);
                int[] topB = top(rb);
                s[3] += IntStream.of(topA).filter(i -> IntStream.of(topB).anyMatch(j -> j == i)).count()
                        / (double) topA.length;
                Tensor boxesA = blazefaceBoxes(a, a.get(name));
                if (boxesA != null) {
                    s[4] += meanBoxIou(topA, boxesA.toDoubles(), blazefaceBoxes(b, b.get(name)).toDoubles());
                } else {
                    s[4] = Double.NaN;
                }
            }
        }
        List<AgreementReport.OutputAgreement> out = new ArrayList<>();
        int n = inputs.size();
        acc.forEach((name, s) -> out.add(new AgreementReport.OutputAgreement(name, s[0], s[1], s[2], s[3] / n,
                s[4] / n)));
        return new AgreementReport(n, out, (System.nanoTime() - start) / 1e9);
    }

    /** The box output [1, anchors, 16] that goes with a score output [1, anchors, 1], or null. */
    private static Tensor blazefaceBoxes(Map<String, Tensor> outputs, Tensor scores) {
        if (scores.rank() != 3 || scores.dim(2) != 1) {
            return null;
        }
        return outputs.values().stream().filter(t -> t.rank() == 3 && t.dim(1) == scores.dim(1) && t.dim(2) == 16)
                .findFirst().orElse(null);
    }

    /** Mean IoU of the boxes (centre offset x, y, width, height: the first 4 of 16 values) at the given anchors. */
    private static double meanBoxIou(int[] anchors, double[] a, double[] b) {
        double sum = 0;
        for (int k : anchors) {
            sum += iou(a, b, 16 * k);
        }
        return sum / anchors.length;
    }

    private static double iou(double[] a, double[] b, int o) {
        double ix = overlap(a[o] - a[o + 2] / 2, a[o] + a[o + 2] / 2, b[o] - b[o + 2] / 2, b[o] + b[o + 2] / 2);
        double iy = overlap(a[o + 1] - a[o + 3] / 2, a[o + 1] + a[o + 3] / 2, b[o + 1] - b[o + 3] / 2,
                b[o + 1] + b[o + 3] / 2);
        double inter = ix * iy;
        double union = Math.abs(a[o + 2] * a[o + 3]) + Math.abs(b[o + 2] * b[o + 3]) - inter;
        return union <= 0 ? 1 : inter / union;
    }

    private static double overlap(double a0, double a1, double b0, double b1) {
        return Math.max(0, Math.min(Math.max(a0, a1), Math.max(b0, b1)) - Math.max(Math.min(a0, a1), Math.min(b0, b1)));
    }

    /** Indices of the TOP_K largest values (fewer where there are fewer values). */
    static int[] top(double[] v) {
        return IntStream.range(0, v.length).boxed().sorted((i, j) -> Double.compare(v[j], v[i])).limit(TOP_K)
                .mapToInt(Integer::intValue).toArray();
    }

    static double cosine(double[] a, double[] b) {
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += a[i] * b[i];
            aa += a[i] * a[i];
            bb += b[i] * b[i];
        }
        if (aa == 0 && bb == 0) {
            return 1;
        }
        return aa == 0 || bb == 0 ? 0 : ab / Math.sqrt(aa * bb);
    }
}
