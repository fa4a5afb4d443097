package dev.octet.eval;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How closely a candidate model's outputs follow a reference model's on the same inputs, output by output.
 *
 * @param images inputs compared
 * @param outputs one entry per output, in the model's order
 * @param seconds wall time of running both models
 */
public record AgreementReport(int images, List<OutputAgreement> outputs, double seconds) implements EvalReport {
    /**
     * One output over all inputs.
     *
     * @param name the output's name
     * @param minCosine the least cosine similarity of the two outputs over the inputs (1: same direction)
     * @param maxAbsDiff the largest absolute difference of any element
     * @param maxAbsReference the largest absolute value of the reference output (the scale of the difference)
     * @param topAgreement the fraction of the reference's top-{@value AgreementEvaluator#TOP_K} elements (by value;
     *     for score maps the strongest detections) that are also in the candidate's top-{@value
     *     AgreementEvaluator#TOP_K}
     * @param topBoxIou for BlazeFace score outputs: the mean IoU of the boxes the two models regress at the
     *     reference's top-{@value AgreementEvaluator#TOP_K} anchors; NaN elsewhere
     */
    public record OutputAgreement(String name, double minCosine, double maxAbsDiff, double maxAbsReference,
            double topAgreement, double topBoxIou) {
    }

    @Override
    public Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("images", images);
        m.put("outputs", outputs.stream().map(o -> {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("name", o.name());
            f.put("min_cosine", o.minCosine());
            f.put("max_abs_diff", o.maxAbsDiff());
            f.put("max_abs_reference", o.maxAbsReference());
            f.put("top_agreement", o.topAgreement());
            if (!Double.isNaN(o.topBoxIou())) {
                f.put("top_box_iou", o.topBoxIou());
            }
            return f;
        }).toList());
        m.put("seconds", seconds);
        return m;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(String.format("images      %d, %.1f s%n", images, seconds));
        for (OutputAgreement o : outputs) {
            sb.append(String.format("output      %s: min cosine %.6f, max |diff| %.3g (of max |ref| %.3g), top-%d "
                    + "agreement %.1f%%%s%n", o.name(), o.minCosine(), o.maxAbsDiff(), o.maxAbsReference(),
                    AgreementEvaluator.TOP_K, 100 * o.topAgreement(), Double.isNaN(o.topBoxIou()) ? ""
                            : String.format(", top-box IoU %.4f", o.topBoxIou())));
        }
        return sb.toString();
    }
}
