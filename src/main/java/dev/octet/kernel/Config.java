package dev.octet.kernel;

import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** One point of a template's knob space: a value per knob, and the template it belongs to. */
public record Config(String template, Map<String, Integer> values) {
    public Config {
        values = Map.copyOf(values);
    }

    public int get(String knob) {
        Integer v = values.get(knob);
        if (v == null) {
            throw new IllegalArgumentException("config of " + template + " has no knob " + knob);
        }
        return v;
    }

    /** Stable text form, e.g. {@code conv_gemm[kc=256,nc=512,order=0]}: tuning-log keys and kernel names. */
    @Override
    public String toString() {
        return template + new TreeMap<>(values).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(",", "[", "]"));
    }
}
