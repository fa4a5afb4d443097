package dev.octet.runtime;

import dev.octet.ir.DataType;
import dev.octet.ir.Tensor;
import java.util.Arrays;

/**
 * fp32 Pad in constant mode: the output is filled with the constant, then the input (cropped where a pad is
 * negative) is copied into its place as one strided block.
 */
public final class PadStep implements Step {
    /** pads as ONNX lists them (all begins, then all ends) and the fill value of one run. */
    public record Args(long[] pads, float value) {
    }


    private final String input;
    private final String output;
    private final RunArguments<Args> args;
    private final Step reference;

    public PadStep(String input, String output, RunArguments<Args> args, Step reference) {
        this.input = input;
        this.output = output;
        this.args = args;
        this.reference = reference;
    }

    @Override
    public void run(ExecutionContext ctx) {
        Tensor x = ctx.get(input);
        int rank = x.rank();
        Args a = x.dtype() == DataType.FLOAT && ctx.hasStaticType(output) ? args.read(ctx) : null;
        int[] shape = a == null ? null : ctx.type(output).shape();
        boolean fits = a != null && a.pads().length == 2 * rank && shape.length == rank;
        int[] in = x.shape();
        for (int d = 0; d < rank && fits; d++) {
            fits = in[d] + a.pads()[d] + a.pads()[d + rank] == shape[d];
        }
        if (!fits) {
            ctx.runReference(reference, this);
            return;
        }
        float[] out = ctx.allocate(Math.toIntExact(ctx.type(output).elementCount()));
        Arrays.fill(out, a.value()); // pooled arrays hold an earlier value's data, not zeros
        long[] inStrides = StridedCopy.strides(in);
        long[] outStrides = StridedCopy.strides(shape);
        int[] block = new int[rank];
        long src = 0;
        long dst = 0;
        for (int d = 0; d < rank; d++) {
            long begin = a.pads()[d];
            long from = Math.max(0, -begin);
            long to = Math.max(0, begin);
            block[d] = (int) Math.max(0, Math.min(in[d] - from, shape[d] - to));
            src += from * inStrides[d];
            dst += to * outStrides[d];
        }
        StridedCopy.copy(x.floats(), src, inStrides, out, dst, outStrides, block);
        ctx.put(output, Tensor.of(DataType.FLOAT, shape, out));
    }

    @Override
    public String describe() {
        return "java Pad";
    }
}
