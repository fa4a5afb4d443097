package dev.octet.kernel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The product of a template's knobs: every configuration it can print. */
public record KnobSpace(String template, List<Knob> knobs) {
    public KnobSpace {
        knobs = List.copyOf(knobs);
    }

    /** The configuration of every knob's first value: good without tuning. */
    public Config defaults() {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (Knob k : knobs) {
            m.put(k.name(), k.values().get(0));
        }
        return new Config(template, m);
    }

    /** Whether c belongs to this template and sets every knob, and only these, to one of its values. */
    public boolean contains(Config c) {
        if (!c.template().equals(template) || c.values().size() != knobs.size()) {
            return false;
        }
        for (Knob k : knobs) {
            Integer v = c.values().get(k.name());
            if (v == null || !k.values().contains(v)) {
                return false;
            }
        }
        return true;
    }

    public long size() {
        long n = 1;
        for (Knob k : knobs) {
            n *= k.values().size();
        }
        return n;
    }

    /** Every configuration, in a fixed order (grid search; tests that enumerate the space). */
    public List<Config> all() {
        List<Config> out = new ArrayList<>();
        enumerate(0, new LinkedHashMap<>(), out);
        return out;
    }

    private void enumerate(int i, Map<String, Integer> partial, List<Config> out) {
        if (i == knobs.size()) {
            out.add(new Config(template, partial));
            return;
        }
        for (int v : knobs.get(i).values()) {
            partial.put(knobs.get(i).name(), v);
            enumerate(i + 1, partial, out);
        }
        partial.remove(knobs.get(i).name());
    }
}
