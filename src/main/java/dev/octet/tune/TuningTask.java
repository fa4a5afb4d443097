package dev.octet.tune;

import dev.octet.kernel.Config;
import dev.octet.kernel.KnobSpace;
import java.util.ArrayList;
import java.util.List;

/**
 * One workload on one target: what a tuning session spends trials on. Its config space is the union of the knob
 * products of every template valid for the workload (each space lists only valid values), the default first.
 *
 * @param uses how many kernels of the graph share this workload (a scheduler may weigh tasks by it)
 */
public record TuningTask(Problem problem, Target target, int uses) {
    public String key() {
        return problem.key();
    }

    /** Every configuration, template by template, each template's in its fixed enumeration order. */
    public List<Config> configs() {
        List<Config> all = new ArrayList<>();
        for (KnobSpace s : problem.spaces()) {
            all.addAll(s.all());
        }
        return all;
    }

    /** The configuration a build uses without a tuning record. */
    public Config defaults() {
        return problem.spaces().get(0).defaults();
    }

    public long size() {
        return problem.spaces().stream().mapToLong(KnobSpace::size).sum();
    }
}
