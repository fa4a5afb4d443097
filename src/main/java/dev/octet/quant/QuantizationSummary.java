package dev.octet.quant;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.octet.ir.DataType;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The quantizer's report: one {@link LayerSummary} per node of the simplified graph (a folded Relu/Clip is reported
 * with the node it is folded into), plus notes on the whole model (e.g. a tensor whose range is empty).
 */
public record QuantizationSummary(DataType activationType, int weightBits, boolean perChannelWeights,
        List<LayerSummary> layers, List<String> notes) {
    public QuantizationSummary {
        layers = List.copyOf(layers);
        notes = List.copyOf(notes);
    }

    /** The layers that run in int8 with the given operator type (e.g. "Conv"). */
    public long int8Count(String opType) {
        return layers.stream().filter(l -> l.int8() && l.opType().equals(opType)).count();
    }

    /** A table for the terminal: one line per layer, then the notes. */
    public String toText() {
        StringBuilder sb = new StringBuilder();
        sb.append("activations ").append(activationType.shortName()).append(", weights ").append(weightBits)
                .append("-bit ").append(perChannelWeights ? "per channel" : "per tensor")
                .append(weightBits == 7 ? " (in [-63, 63]: every weight pair fits AVX2's vpmaddubsw without saturation)"
                        : " (in [-127, 127])").append('\n');
        long int8 = layers.stream().filter(LayerSummary::int8).count();
        sb.append(int8).append(" of ").append(layers.size()).append(" layers in int8\n");
        for (LayerSummary l : layers) {
            sb.append(String.format("%4d %-18s %-5s %s", l.index(), l.opType(), l.int8() ? "int8" : "float",
                    l.name()));
            if (!l.reason().equals("int8")) {
                sb.append("  (").append(l.reason()).append(')');
            }
            if (l.activation() != null) {
                sb.append("  ").append(l.activation());
            }
            if (l.weightBits() > 0) {
                sb.append(String.format("  w%d s=[%.3g..%.3g]", l.weightBits(), l.weightScaleMin(),
                        l.weightScaleMax()));
            }
            if (!l.inputs().isEmpty()) {
                sb.append("  in: ").append(l.inputs().stream().map(Object::toString).collect(Collectors.joining(", ")));
            }
            if (l.output() != null) {
                sb.append("  out: ").append(l.output());
            }
            if (l.biasShift() != null) {
                sb.append(String.format("  bias corrected (max |shift| %.3g)", l.maxBiasShift()));
            }
            sb.append('\n');
        }
        notes.forEach(n -> sb.append("note: ").append(n).append('\n'));
        return sb.toString();
    }

    /** The summary as JSON (Jackson), for `octet quantize --json` and tools. */
    public String toJson() {
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("summary is not serializable", e);
        }
    }
}
