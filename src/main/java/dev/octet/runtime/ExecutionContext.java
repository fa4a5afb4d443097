package dev.octet.runtime;

import dev.octet.ir.OctetException;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.op.ShapeInference;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The state of one run: every value computed so far and the shapes of this run (inferred once per distinct input
 * shape). Each call of {@link CompiledModel#run} has its own context, which is what makes concurrent runs safe.
 */
public final class ExecutionContext {
    private final Map<String, Tensor> values = new HashMap<>();
    private final ShapeInference.Result shapes;
    private final WorkPool pool;
    private final BufferPool buffers;
    /** Arrays taken from {@link #buffers} by this run, with how many live values (views included) hold each. */
    private final Map<Object, Integer> holders = new IdentityHashMap<>();
    /** The values that no step after the running one reads. */
    private Collection<String> lastReadHere = List.of();
    private Map<String, Long> fallbackTimes;

    ExecutionContext(ShapeInference.Result shapes, WorkPool pool, BufferPool buffers) {
        this.shapes = shapes;
        this.pool = pool;
        this.buffers = buffers;
    }

    /** Starts a step: {@code lastRead} are the values no later step reads (they are removed after it). */
    void beginStep(Collection<String> lastRead) {
        this.lastReadHere = lastRead;
    }

    /**
     * An fp32 array of exactly {@code length} elements for the output of a step that may write it over
     * {@code value}, one of its inputs: that value's own array where the running step is its last reader and no
     * other value (a view) holds the array, so the output lands on cache lines the step has just read; else a new
     * one as from {@link #allocate}. A graph input's array (the caller's) or a constant's is never written over.
     */
    public float[] allocateOver(String value, int length) {
        Tensor t = lastReadHere.contains(value) ? values.get(value) : null; // a constant is never written over
        if (t != null && pooled(t) instanceof float[] a && a.length == length
                && Integer.valueOf(1).equals(holders.get(a))) {
            return a; // put() of the output holds it a second time, and the value's removal after the step lets go
        }
        return allocate(length);
    }

    /**
     * An fp32 array of exactly {@code length} elements for a step's output, contents undefined: the step must write
     * every element. It goes back to the run's pool once no value holds it any more (removed by
     * {@link #remove}); arrays of the graph's outputs are never removed, so the caller's results are never reused.
     */
    public float[] allocate(int length) {
        float[] a = buffers.take(length);
        holders.put(a, 0);
        return a;
    }

    /**
     * A byte array of exactly {@code length} elements for an int8 step's output, contents undefined, pooled as
     * {@link #allocate} pools fp32 arrays.
     */
    public byte[] allocateBytes(int length) {
        byte[] a = buffers.takeBytes(length);
        holders.put(a, 0);
        return a;
    }

    public Tensor get(String name) {
        Tensor t = find(name);
        if (t == null) {
            throw new IllegalStateException("value '" + name + "' is not computed yet");
        }
        return t;
    }

    /** The value if computed (or constant), else null. */
    public Tensor find(String name) {
        Tensor t = values.get(name);
        return t != null ? t : shapes.constants().get(name);
    }

    public void put(String name, Tensor t) {
        Tensor old = values.put(name, t);
        if (old != null) {
            drop(old);
        }
        Object array = pooled(t);
        if (array != null) {
            holders.computeIfPresent(array, (k, n) -> n + 1);
        }
    }

    /** Forgets a value; its array returns to the pool where it came from there and no other value holds it. */
    public void remove(String name) {
        Tensor old = values.remove(name);
        if (old != null) {
            drop(old);
        }
    }

    private void drop(Tensor t) {
        Object array = pooled(t);
        if (array != null) {
            Integer n = holders.get(array);
            if (n != null && n <= 1) {
                holders.remove(array);
                buffers.release(array);
            } else if (n != null) {
                holders.put(array, n - 1);
            }
        }
    }

    /** The tensor's float[] or byte[], which may have come from the pool; null for other storage. */
    private static Object pooled(Tensor t) {
        // isByteBacked first: data() of a byte-backed int8 tensor widens all of it to a new long[]
        if (t.isByteBacked()) {
            return t.bytes();
        }
        return t.data() instanceof float[] f ? f : null;
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
    boolean hasStaticType(String name) {
        TensorType t = shapes.type(name);
        return t != null && t.isStatic();
    }

    /**
     * Runs a fast step's reference step in its place, for a run the fast path does not cover (a shape it was not
     * compiled for). Where the run is timed, the time is recorded as "fallback from " + the fast step's description.
     */
    void runReference(Step reference, Step instead) {
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
