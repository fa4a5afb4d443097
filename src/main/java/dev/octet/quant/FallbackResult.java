package dev.octet.quant;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link FloatFallback} did.
 *
 * @param model the quantized model with the kept layers in float
 * @param budget the budget in words
 * @param before the budget's value with every layer int8
 * @param after its value for {@code model}
 * @param met whether {@code after} meets the budget
 * @param kept the layers returned to float, in the order they were returned
 * @param ranking every candidate layer, most sensitive first
 */
public record FallbackResult(QuantizedModel model, String budget, double before, double after, boolean met,
        List<Sensitivity> kept, List<Sensitivity> ranking) {
    public FallbackResult {
        kept = List.copyOf(kept);
        ranking = List.copyOf(ranking);
    }

    /**
     * The model with its summary saying what the fallback did: each kept layer's reason becomes "fallback:
     * sensitivity ..." and a note gives the budget and its value before and after.
     */
    public QuantizedModel annotated() {
        Map<Integer, Sensitivity> byIndex = new HashMap<>();
        kept.forEach(s -> byIndex.put(s.index(), s));
        List<LayerSummary> layers = new ArrayList<>();
        for (LayerSummary l : model.summary().layers()) {
            Sensitivity s = byIndex.get(l.index());
            layers.add(s == null ? l : l.withReason("fallback: " + s.describe()));
        }
        List<String> notes = new ArrayList<>(model.summary().notes());
        notes.add(describe());
        QuantizationSummary q = model.summary();
        return new QuantizedModel(model.qdq(), new QuantizationSummary(q.activationType(), q.weightBits(),
                q.perChannelWeights(), layers, notes));
    }

    /** One line: the budget, its value before and after, the layers kept in float. */
    public String describe() {
        String layers = kept.stream().map(s -> s.name().isEmpty() ? "#" + s.index() : s.name()).toList().toString();
        return String.format("fallback: budget %s: %.5f with every layer int8 -> %.5f with %d layer(s) in float %s%s",
                budget, before, after, kept.size(), layers, met ? " (met)" : " (NOT met)");
    }

    /**
     * One layer's single-layer sensitivity: the mean held-out output cosine with every other layer int8 and this
     * one in float, and its gain over all int8.
     *
     * @param key how the layer is named to {@link QuantizeOptions#skipNodes} (its name, or its index where the
     *     name is empty or not unique)
     */
    public record Sensitivity(int index, String name, String opType, String key, double cosineWithout,
            double gain) {
        /** E.g. "sensitivity +0.0123 output cosine (0.9813 with it in float)". */
        public String describe() {
            return String.format("sensitivity %+.4g output cosine (%.5f with it in float)", gain, cosineWithout);
        }
    }
}
