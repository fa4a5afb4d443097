package dev.octet.runtime;

import dev.octet.ir.DataType;
import dev.octet.ir.Tensor;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongFunction;

/**
 * A native elementwise kernel over quantized tensors of one shape whose per-tensor parameters are fixed at compile
 * time: octet.QLinearAdd ({@code Int8AddTemplate}), QuantizeLinear ({@code QuantizeLinearTemplate}) and
 * DequantizeLinear ({@code DequantizeLinearTemplate}). Those templates share one calling convention: the inputs'
 * buffers (u8/s8 bytes or fp32), one fp32 constant buffer (multipliers or the scale), the output buffer; scalars
 * that start with the element count; one work item per block of consecutive elements. Inputs of another type or
 * of unequal shapes run the Java step this one was made from (exact to the same QuantMath formula).
 */
public final class Int8ElementwiseStep implements Step {
    private final List<String> inputs;
    private final List<DataType> inputTypes;
    private final float[] constants;
    private final String output;
    private final DataType outputType;
    private final LongFunction<long[]> scalars;
    private final int block;
    private final Kernel kernel;
    private final Step fallback;
    private final String description;

    /**
     * @param scalars the kernel's scalars for an element count
     * @param block elements per work item (the configuration's {@code block})
     * @param fallback the Java step for runs the kernel does not cover
     */
    public Int8ElementwiseStep(List<String> inputs, List<DataType> inputTypes, float[] constants, String output,
            DataType outputType, LongFunction<long[]> scalars, int block, Kernel kernel, Step fallback,
            String description) {
        this.inputs = List.copyOf(inputs);
        this.inputTypes = List.copyOf(inputTypes);
        this.constants = constants.clone();
        this.output = output;
        this.outputType = outputType;
        this.scalars = scalars;
        this.block = block;
        this.kernel = kernel;
        this.fallback = fallback;
        this.description = description;
    }

    @Override
    public void run(ExecutionContext ctx) {
        Tensor first = ctx.get(inputs.get(0));
        MemorySegment[] bufs = new MemorySegment[inputs.size() + 2];
        for (int i = 0; i < inputs.size(); i++) {
            Tensor t = ctx.get(inputs.get(i));
            if (t.dtype() != inputTypes.get(i) || !Arrays.equals(t.shape(), first.shape())) {
                ctx.runReference(fallback, this);
                return;
            }
            bufs[i] = t.dtype() == DataType.FLOAT ? MemorySegment.ofArray(t.floats())
                    : MemorySegment.ofArray(t.bytes());
        }
        int total = first.size();
        bufs[inputs.size()] = MemorySegment.ofArray(constants);
        Tensor y;
        if (outputType == DataType.FLOAT) {
            float[] v = ctx.allocate(total);
            bufs[inputs.size() + 1] = MemorySegment.ofArray(v);
            y = Tensor.ofFloats(first.shape(), v);
        } else {
            byte[] v = ctx.allocateBytes(total);
            bufs[inputs.size() + 1] = MemorySegment.ofArray(v);
            y = Tensor.ofBytes(outputType, first.shape(), v);
        }
        long[] s = scalars.apply(total);
        ctx.pool().parallelFor((total + block - 1) / block, (begin, end) -> kernel.invoke(bufs, s, begin, end));
        ctx.put(output, y);
    }

    @Override
    public String describe() {
        return description;
    }
}
