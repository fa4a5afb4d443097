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

    public WorkPool pool() {
        return pool;
    }
}
