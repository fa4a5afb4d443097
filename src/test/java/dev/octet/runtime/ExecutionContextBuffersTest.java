package dev.octet.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.octet.ir.DataType;
import dev.octet.ir.Tensor;
import org.junit.jupiter.api.Test;

/** A run's arrays go back to its pool only when no value (views included) holds them, and never the caller's. */
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
}
