package dev.octet.tune;

import dev.octet.kernel.Config;
import dev.octet.kernel.KnobSpace;
import dev.octet.kernel.loop.LoopKernel;
import java.util.List;

/**
 * What a tuning task measures: a workload with its valid knob spaces, a representative geometry, the arguments of
 * each verification run (inputs from every family of {@code verify.TestInputs}, outputs NaN- or fill-guarded), and
 * the judge of each run's outputs against the reference, computed in this (the parent) process.
 */
public interface Problem {
    /** The workload's stable key (as lowerings and tuning logs name it). */
    String key();

    /** The workload record (ConvWorkload, MatMulWorkload, Int8ConvWorkload). */
    Record workload();

    /** The knob spaces of every valid template, the default first. */
    List<KnobSpace> spaces();

    /** The geometry measured, for people: e.g. "1x128x28x28 pads 1,1,1,1". */
    String geometry();

    /** The template's kernel for a configuration, named {@code name}. */
    LoopKernel kernel(Config c, String name);

    /**
     * The verification runs of a configuration (its packing and parallel range depend on it); the first one is
     * also the one timed.
     */
    List<Run> runs(Config c);

    /** One buffer argument: its initial bytes, and whether the kernel writes it (then it comes back to be judged). */
    record Arg(byte[] bytes, boolean output) {
    }

    /** Judges the output buffers of a run, in argument order: null if correct, else what is wrong. */
    @FunctionalInterface
    interface Judge {
        String check(List<byte[]> outputs);
    }

    /** One call of a kernel over [0, range) and how to judge it. */
    record Run(String family, List<Arg> args, long[] scalars, long range, Judge judge) {
        public Run {
            args = List.copyOf(args);
            scalars = scalars.clone();
        }
    }
}
