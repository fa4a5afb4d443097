package dev.octet.tune;

import dev.octet.kernel.Config;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Proposes the configurations of a task to measure next. Grid walks the space in its fixed order; random draws
 * without replacement. Both skip what a log already holds for the task (a resumed session repeats nothing).
 */
public interface Tuner {
    /** Up to n configurations not proposed or tried before; fewer (or none) once the space is exhausted. */
    List<Config> next(int n);

    /** What was measured (learned tuners refit on it; grid and random ignore it). */
    default void update(List<Measurement> measured) {
    }

    /** The tuners {@link #create} knows. */
    List<String> NAMES = List.of("grid", "random");

    /**
     * @param tried configurations already measured for this task and target (from the log)
     * @throws IllegalArgumentException for an unknown name
     */
    static Tuner create(String name, TuningTask task, Set<Config> tried, long seed) {
        List<Config> order = new ArrayList<>(task.configs());
        switch (name) {
            case "grid" -> { }
            case "random" -> Collections.shuffle(order, new Random(seed ^ task.key().hashCode()));
            default -> throw new IllegalArgumentException("unknown tuner " + name + " (known: " + NAMES + ")");
        }
        order.removeIf(tried::contains);
        return new Tuner() {
            private int next;

            @Override
            public List<Config> next(int n) {
                List<Config> out = order.subList(next, Math.min(order.size(), next + n));
                next += out.size();
                return List.copyOf(out);
            }
        };
    }
}
