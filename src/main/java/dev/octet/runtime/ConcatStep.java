package dev.octet.runtime;

import dev.octet.ir.DataType;
import dev.octet.ir.Tensor;
import java.util.List;

/** fp32 Concat: for each index before the axis, one contiguous block of each input, in input order. */
public final class ConcatStep implements Step {
    private final List<String> inputs;
    private final String output;
    private final long axis;
    private final Step reference;

    /** @param axis the attribute as given (negative counts from the end) */
    public ConcatStep(List<String> inputs, String output, long axis, Step reference) {
        this.inputs = List.copyOf(inputs);
        this.output = output;
        this.axis = axis;
        this.reference = reference;
    }

    @Override
    public void run(ExecutionContext ctx) {
        float[][] in = new float[inputs.size()][];
        for (int i = 0; i < in.length; i++) {
            Tensor t = ctx.get(inputs.get(i));
            if (t.dtype() != DataType.FLOAT) {
                ctx.runReference(reference, this);
                return;
            }
            in[i] = t.floats();
        }
        if (!ctx.hasStaticType(output)) {
            ctx.runReference(reference, this);
            return;
        }
        int[] shape = ctx.type(output).shape();
        int a = (int) (axis < 0 ? axis + shape.length : axis);
        long outer = 1;
        for (int d = 0; d < a; d++) {
            outer *= shape[d];
        }
        float[] out = ctx.allocate(Math.toIntExact(ctx.type(output).elementCount()));
        if (outer > 0) {
            int pos = 0;
            for (long o = 0; o < outer; o++) {
                for (float[] x : in) {
                    int block = (int) (x.length / outer);
                    System.arraycopy(x, (int) (o * block), out, pos, block);
                    pos += block;
                }
            }
        }
        ctx.put(output, Tensor.of(DataType.FLOAT, shape, out));
    }

    @Override
    public String describe() {
        return "java Concat";
    }
}
