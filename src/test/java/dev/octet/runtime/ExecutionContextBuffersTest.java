package dev.octet.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.octet.ir.DataType;
import dev.octet.ir.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A run's arrays go back to its pool only when no value (views included) holds them, and never the caller's; a step
 * writes over an input's array only where it is that array's last reader.
 */
class ExecutionContextBuffersTest {
    private static Tensor of(float[] a, int... shape) {
        return Tensor.of(DataType.FLOAT, shape, a);
    }

    @Test
    void anArrayReturnsToThePoolOnlyWhenItsLastViewIsRemoved() {
        BufferPool pool = new BufferPool();
        ExecutionContext ctx = new ExecutionContext(null, null, pool);
        float[] a = ctx.allocate(6);
        ctx.put("a", of(a, 2, 3));
        ctx.put("view", of(a, 6)); // a Reshape shares the array
        ctx.remove("a");
        assertThat(ctx.allocate(6)).isNotSameAs(a); // the view still holds it
        ctx.remove("view");
        assertThat(ctx.allocate(6)).isSameAs(a);
    }

    @Test
    void inputsAndConstantsAreNeverPooled() {
        BufferPool pool = new BufferPool();
        ExecutionContext ctx = new ExecutionContext(null, null, pool);
        float[] input = new float[4];
        ctx.put("x", of(input, 4));
        ctx.remove("x");
        assertThat(ctx.allocate(4)).isNotSameAs(input);
    }

    @Test
    void thePoolKeepsOnlyArraysOfTheLastRun() {
        BufferPool pool = new BufferPool();
        ExecutionContext first = new ExecutionContext(null, null, pool);
        float[] small = first.allocate(3);
        float[] big = first.allocate(8);
        first.put("s", of(small, 3));
        first.put("b", of(big, 8));
        first.remove("s");
        first.remove("b");
        pool.endRun();
        ExecutionContext second = new ExecutionContext(null, null, pool);
        assertThat(second.allocate(8)).isSameAs(big); // reused by the next run
        pool.endRun(); // the size-3 array was not used by the second run: dropped
        ExecutionContext third = new ExecutionContext(null, null, pool);
        assertThat(third.allocate(3)).isNotSameAs(small);
    }

    @Test
    void int8ArraysArePooledLikeFloatArraysButNeverHandedOutAsTheOtherKind() {
        BufferPool pool = new BufferPool();
        ExecutionContext ctx = new ExecutionContext(null, null, pool);
        byte[] q = ctx.allocateBytes(6);
        ctx.put("q", Tensor.ofBytes(DataType.UINT8, new int[] {2, 3}, q));
        ctx.put("flat", Tensor.ofBytes(DataType.UINT8, new int[] {6}, q)); // a Flatten view
        ctx.remove("q");
        assertThat(ctx.allocateBytes(6)).isNotSameAs(q);
        ctx.remove("flat");
        float[] f = ctx.allocate(6); // same length, other kind: a new array
        assertThat(f).hasSize(6);
        assertThat(ctx.allocateBytes(6)).isSameAs(q);
    }

    @Test
    void aStepWritesOverAValueItReadsLastAndAloneHolds() {
        ExecutionContext ctx = new ExecutionContext(null, null, new BufferPool());
        float[] r = ctx.allocate(6);
        ctx.put("r", of(r, 6));
        ctx.beginStep(List.of("r"));
        float[] out = ctx.allocateOver("r", 6);
        assertThat(out).isSameAs(r);
        ctx.put("y", of(out, 6));
        ctx.remove("r"); // after the step, as the model's run does
        assertThat(ctx.allocate(6)).isNotSameAs(r); // y holds it
        ctx.remove("y");
        assertThat(ctx.allocate(6)).isSameAs(r);
    }

    @Test
    void aValueReadLaterSharedByAViewOfOtherSizeOrTheCallersIsNotWrittenOver() {
        ExecutionContext ctx = new ExecutionContext(null, null, new BufferPool());
        float[] r = ctx.allocate(6);
        ctx.put("r", of(r, 6));
        ctx.beginStep(List.of());
        assertThat(ctx.allocateOver("r", 6)).as("a later step reads r").isNotSameAs(r);
        ctx.beginStep(List.of("r"));
        assertThat(ctx.allocateOver("r", 4)).as("another size").isNotSameAs(r);
        ctx.put("view", of(r, 2, 3));
        assertThat(ctx.allocateOver("r", 6)).as("a view holds it too").isNotSameAs(r);
        float[] input = new float[6];
        ctx.put("x", of(input, 6));
        ctx.beginStep(List.of("x"));
        assertThat(ctx.allocateOver("x", 6)).as("the caller's input").isNotSameAs(input);
        assertThat(ctx.allocateOver("absent", 6)).hasSize(6);
    }
}
