package dev.octet.tune;

import dev.octet.kernel.Config;
import dev.octet.kernel.KnobSpace;
import dev.octet.kernel.loop.LoopKernel;
import java.util.List;

/**
 * A task's key and knob spaces without a kernel: what tuners need to propose configurations. Replays and tuner
 * tests measure such a task with a stand-in cost function, never with the Measurer, so it has nothing to compile.
 */
record SpaceOnlyProblem(String key, List<KnobSpace> spaces) implements Problem {
    record NoWorkload(String key) {
    }

    static TuningTask task(String key, List<KnobSpace> spaces, int uses) {
        return new TuningTask(new SpaceOnlyProblem(key, spaces), new dev.octet.tune.Target("replay"), uses);
    }

    @Override
    public Record workload() {
        return new NoWorkload(key);
    }

    @Override
    public String geometry() {
        return "replayed";
    }

    @Override
    public LoopKernel kernel(Config c, String name) {
        throw new UnsupportedOperationException("a replayed task is measured by its recorded costs, not compiled");
    }

    @Override
    public List<Run> runs(Config c) {
        throw new UnsupportedOperationException("a replayed task is measured by its recorded costs, not run");
    }
}
