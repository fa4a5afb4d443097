package dev.octet.runtime;

import dev.octet.ir.DataType;
import dev.octet.ir.Tensor;
import java.util.List;

/**
 * Concat of fp32, or of u8/s8 held as bytes (a quantized graph's concat, run on the integers): for each index
 * before the axis, one contiguous block of each input, in input order.
 */
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
        Object[] in = new Object[inputs.size()];
        DataType type = ctx.get(inputs.get(0)).dtype();
        boolean bytes = type == DataType.UINT8 || type == DataType.INT8;
        for (int i = 0; i < in.length; i++) {
            Tensor t = ctx.get(inputs.get(i));
            if (t.dtype() != type || !(bytes || type == DataType.FLOAT)) {
                ctx.runReference(reference, this);
                return;
            }
            in[i] = bytes ? t.bytes() : t.floats();
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
        int size = Math.toIntExact(ctx.type(output).elementCount());
        Object out = bytes ? ctx.allocateBytes(size) : ctx.allocate(size);
        if (outer > 0) {
            int pos = 0;
            for (long o = 0; o < outer; o++) {
                for (Object x : in) {
                    int block = (int) (java.lang.reflect.Array.getLength(x) / outer);
                    System.arraycopy(x, (int) (o * block), out, pos, block);
                    pos += block;
                }
            }
        }
        ctx.put(output, Tensor.of(type, shape, out));
    }

    @Override
    public String describe() {
        return "java Concat"; // fp32 or bytes
    }
}
