package dev.octet.runtime;

import dev.octet.ir.OctetException;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.op.ShapeInference;
import java.util.HashMap;
import java.util.Map;

/**
 * The state of one run: every value computed so far and the shapes of this run (inferred once per distinct input
 * shape). Each call of {@link CompiledModel#run} has its own context, which is what makes concurrent runs safe.
 */
public final class ExecutionContext {
    private final Map<String, Tensor> values = new HashMap<>();
    private final ShapeInference.Result shapes;
    private final WorkPool pool;
    private Map<String, Long> fallbackTimes;

    ExecutionContext(ShapeInference.Result shapes, WorkPool pool) {
        this.shapes = shapes;
        this.pool = pool;
    }

    public Tensor get(String name) {
        Tensor t = values.get(name);
        if (t == null) {
            throw new IllegalStateException("value '" + name + "' is not computed yet");
        }
        return t;
    }

    /** The value if computed (or constant), else null. */
    public Tensor find(String name) {
        return values.get(name);
    }

    public void put(String name, Tensor t) {
        values.put(name, t);
    }

    public void remove(String name) {
        values.remove(name);
    }

    /** The type of a value in this run (concrete once the inputs are bound). */
    public TensorType type(String name) {
        TensorType t = shapes.type(name);
        if (t == null || !t.isStatic()) {
            throw new OctetException("the shape of '" + name + "' is not known for this input");
        }
        return t;
    }

    /** Whether this run's type of a value is fully known (false for a data-dependent shape). */
    public boolean hasStaticType(String name) {
        TensorType t = shapes.type(name);
        return t != null && t.isStatic();
    }

    /**
     * Runs a fast step's reference step in its place, for a run the fast path does not cover (a shape it was not
     * compiled for). Where the run is timed, the time is recorded as "fallback from " + the fast step's description.
     */
    public void runReference(Step reference, Step instead) {
        long start = System.nanoTime();
        reference.run(this);
        if (fallbackTimes != null) {
            fallbackTimes.merge("fallback from " + instead.describe(), System.nanoTime() - start, Long::sum);
        }
    }

    /** Where {@link #runReference} records its times (null: nowhere). */
    void recordFallbacks(Map<String, Long> times) {
        this.fallbackTimes = times;
    }

    public WorkPool pool() {
        return pool;
    }
}
