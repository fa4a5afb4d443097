package dev.octet.runtime;

import dev.octet.ir.DataType;
import dev.octet.ir.Tensor;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/** Y = X · W (+ epilogue) with W constant, run by a native kernel over blocks of rows of X. */
public final class MatMulStep implements Step {
    private final String input;
    private final String residual;
    private final String output;
    private final Kernel kernel;
    private final MemorySegment weights;
    private final MemorySegment bias;
    private final java.util.function.LongUnaryOperator range;
    private final String description;

    /**
     * @param residual the value added in the epilogue, or null
     * @param bias per output column, or null
     * @param range the kernel's parallel range for a run of M rows
     */
    public MatMulStep(String input, String residual, String output, Kernel kernel, float[] packedWeights, float[] bias,
            java.util.function.LongUnaryOperator range, String description) {
        this.input = input;
        this.residual = residual;
        this.output = output;
        this.kernel = kernel;
        this.weights = MemorySegment.ofArray(packedWeights);
        this.bias = bias == null ? null : MemorySegment.ofArray(bias);
        this.range = range;
        this.description = description;
    }

    @Override
    public void run(ExecutionContext ctx) {
        Tensor x = ctx.get(input);
        int[] shape = ctx.type(output).shape();
        long m = x.size() / x.dim(x.rank() - 1);
        float[] y = ctx.allocate(Math.toIntExact(m * shape[shape.length - 1]));
        List<MemorySegment> list = new ArrayList<>(List.of(MemorySegment.ofArray(x.floats()), weights));
        if (bias != null) {
            list.add(bias);
        }
        if (residual != null) {
            list.add(MemorySegment.ofArray(ctx.get(residual).floats()));
        }
        list.add(MemorySegment.ofArray(y));
        MemorySegment[] bufs = list.toArray(MemorySegment[]::new);
        long[] scalars = {m};
        ctx.pool().parallelFor(range.applyAsLong(m), (b, e) -> kernel.invoke(bufs, scalars, b, e));
        ctx.put(output, Tensor.of(DataType.FLOAT, shape, y));
    }

    @Override
    public String describe() {
        return description;
    }
}
