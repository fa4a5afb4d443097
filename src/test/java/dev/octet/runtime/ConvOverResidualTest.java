package dev.octet.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.octet.ir.DataType;
import dev.octet.ir.Graph;
import dev.octet.ir.Node;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.Value;
import dev.octet.ir.op.ShapeInference;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A conv step whose kernel may write over its residual is handed the residual's array as its output exactly where
 * the step is the residual's last reader, and never where the residual is also the conv's input. A kernel that
 * records its buffers stands in for the native one: what is checked is the hand-over, not the arithmetic (that is
 * ConvTemplatesTest's).
 */
class ConvOverResidualTest {
    private static final TensorType X = TensorType.of(DataType.FLOAT, 1, 4, 3, 3);

    /** The buffers of the kernel's last call: in, w, res, out. */
    private MemorySegment[] seen;

    private final Kernel recording = new Kernel() {
        @Override
        public void invoke(MemorySegment[] buffers, long[] scalars, long begin, long end) {
            seen = buffers.clone();
        }

        @Override
        public String name() {
            return "recording";
        }
    };

    private static ExecutionContext context() {
        Graph g = new Graph("t", List.of(new Value("x", X)), List.of(new Value("y", X)),
                List.of(Node.of("c", "Conv", List.of("x", "w"), List.of("y"))),
                Map.of("w", Tensor.ofFloats(new int[] {4, 4, 1, 1}, new float[16])), Map.of(), Map.of("", 13));
        return new ExecutionContext(ShapeInference.infer(g, Map.of()), new WorkPool(1), new BufferPool());
    }

    private ConvStep step(String input, String residual, boolean writesOverResidual) {
        return new ConvStep(input, residual, "y", 4, new ConvStep.Geometry(1, 1, 1, 1, 1, 1, "NOTSET", 0, 0),
                recording, new float[16], null, (n, oh, ow) -> 1, writesOverResidual, "test");
    }

    private static float[] put(ExecutionContext ctx, String name) {
        float[] a = ctx.allocate(36);
        ctx.put(name, Tensor.of(DataType.FLOAT, new int[] {1, 4, 3, 3}, a));
        return a;
    }

    private boolean outputIsResidual() {
        return seen[2].heapBase().orElseThrow() == seen[3].heapBase().orElseThrow();
    }

    @Test
    void theOutputIsTheResidualsArrayWhereTheStepReadsItLast() {
        ExecutionContext ctx = context();
        put(ctx, "x");
        float[] r = put(ctx, "r");
        ctx.beginStep(List.of("r"));
        step("x", "r", true).run(ctx);
        assertThat(outputIsResidual()).isTrue();
        assertThat(ctx.get("y").floats()).isSameAs(r);
    }

    @Test
    void notWhereALaterStepReadsTheResidualOrTheKernelMayNot() {
        ExecutionContext ctx = context();
        put(ctx, "x");
        put(ctx, "r");
        ctx.beginStep(List.of());
        step("x", "r", true).run(ctx);
        assertThat(outputIsResidual()).as("r is read later").isFalse();
        ctx.beginStep(List.of("r"));
        step("x", "r", false).run(ctx);
        assertThat(outputIsResidual()).as("a kernel that may not").isFalse();
    }

    @Test
    void neverOverTheConvsOwnInput() {
        ExecutionContext ctx = context();
        float[] x = put(ctx, "x");
        ctx.beginStep(List.of("x"));
        step("x", "x", true).run(ctx);
        assertThat(ctx.get("y").floats()).isNotSameAs(x);
        assertThat(seen[0].heapBase().orElseThrow()).isNotSameAs(seen[3].heapBase().orElseThrow());
    }
}
