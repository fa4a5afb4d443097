package dev.octet.tune;

import dev.octet.kernel.Config;
import dev.octet.kernel.KnobSpace;
import dev.octet.kernel.loop.LoopKernel;
import java.util.List;

/**
 * A task that forwards everything to another except its runs, which a subclass replaces: how the regression tests
 * watch or switch off a task's judges while measuring the same kernels.
 */
abstract class ForwardingProblem implements Problem {
    private final Problem p;

    ForwardingProblem(Problem p) {
        this.p = p;
    }

    /** The same task with every judge answering "right": what a tuner without a correctness check measures. */
    static Problem unverified(Problem p) {
        return new ForwardingProblem(p) {
            @Override
            public List<Run> runs(Config c) {
                return p.runs(c).stream().map(r -> new Run(r.family(), r.args(), r.scalars(), r.range(),
                        outputs -> null)).toList();
            }
        };
    }

    @Override
    public String key() {
        return p.key();
    }

    @Override
    public Record workload() {
        return p.workload();
    }

    @Override
    public List<KnobSpace> spaces() {
        return p.spaces();
    }

    @Override
    public String geometry() {
        return p.geometry();
    }

    @Override
    public LoopKernel kernel(Config c, String name) {
        return p.kernel(c, name);
    }
}
