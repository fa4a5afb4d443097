package dev.octet.kernel;

import java.util.List;

/** One tunable parameter of a kernel template and the values it may take (the first is the default). */
public record Knob(String name, List<Integer> values) {
    public Knob {
        values = List.copyOf(values);
        if (values.isEmpty()) {
            throw new IllegalArgumentException("knob " + name + " has no values");
        }
    }

    public static Knob of(String name, Integer... values) {
        return new Knob(name, List.of(values));
    }
}
