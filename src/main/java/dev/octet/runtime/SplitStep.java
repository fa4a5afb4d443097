package dev.octet.runtime;

import dev.octet.ir.DataType;
import dev.octet.ir.Tensor;
import java.util.List;

/** fp32 Split: each output takes, for each index before the axis, one contiguous block of the input. */
public final class SplitStep implements Step {
    private final String input;
    private final List<String> outputs;
    private final long axis;
    private final Step reference;

    /**
     * @param outputs the node's outputs ("" where unused)
     * @param axis the attribute as given (negative counts from the end)
     */
    public SplitStep(String input, List<String> outputs, long axis, Step reference) {
        this.input = input;
        this.outputs = List.copyOf(outputs);
        this.axis = axis;
        this.reference = reference;
    }

    @Override
    public void run(ExecutionContext ctx) {
        Tensor x = ctx.get(input);
        boolean fits = x.dtype() == DataType.FLOAT && x.rank() > 0;
        for (String o : outputs) {
            // An unused output ("") still takes its part of the axis, and only typed outputs say how large it is.
            fits &= !o.isEmpty() && ctx.hasStaticType(o);
        }
        if (!fits) {
            ctx.runReference(reference, this);
            return;
        }
        int[] shape = x.shape();
        int a = (int) (axis < 0 ? axis + shape.length : axis);
        long outer = 1;
        for (int d = 0; d < a; d++) {
            outer *= shape[d];
        }
        int inBlock = outer == 0 ? 0 : (int) (x.size() / outer);
        float[] src = x.floats();
        int offset = 0;
        for (String name : outputs) {
            int[] os = ctx.type(name).shape();
            float[] out = ctx.allocate(Math.toIntExact(ctx.type(name).elementCount()));
            int block = outer == 0 ? 0 : (int) (out.length / outer);
            for (long o = 0; o < outer; o++) {
                System.arraycopy(src, (int) (o * inBlock) + offset, out, (int) (o * block), block);
            }
            offset += block;
            ctx.put(name, Tensor.of(DataType.FLOAT, os, out));
        }
    }

    @Override
    public String describe() {
        return "java Split";
    }
}
