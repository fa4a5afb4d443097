package dev.octet.kernel;

import java.util.List;

/**
 * Decides which configuration a lowering builds for a workload: the defaults, or what a tuning session found
 * (the tuner's implementation reads a tuning log). Lowerings ask it once per kernel, so it also serves to list the
 * workloads a graph lowers to.
 */
@FunctionalInterface
public interface ConfigChooser {
    /**
     * One kernel a lowering is about to build.
     *
     * @param key the workload's stable key ({@code ConvWorkload.key()} and its kin)
     * @param workload the workload record itself (ConvWorkload, MatMulWorkload, Int8ConvWorkload)
     * @param spaces the knob spaces of every template valid for it, the default template's first
     */
    record Request(String key, Record workload, List<KnobSpace> spaces) {
        public Request {
            spaces = List.copyOf(spaces);
            if (spaces.isEmpty()) {
                throw new IllegalArgumentException("no template is valid for " + key);
            }
        }

        /** The untuned choice: the first valid template's defaults. */
        public Config defaults() {
            return spaces.get(0).defaults();
        }

        /** Whether a configuration is a point of one of the valid spaces (a tuned record must be, to be used). */
        public boolean admits(Config c) {
            return spaces.stream().anyMatch(s -> s.contains(c));
        }
    }

    Config choose(Request request);

    /** Every workload gets its default configuration. */
    static ConfigChooser defaults() {
        return Request::defaults;
    }
}
