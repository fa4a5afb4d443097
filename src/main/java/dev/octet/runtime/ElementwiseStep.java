package dev.octet.runtime;

import dev.octet.ir.DataType;
import dev.octet.ir.Tensor;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.List;

/**
 * A chain of fp32 elementwise operations run by one native kernel: the input and every operand are read once, the
 * output written once. The broadcast of each operand was decided at compile time from the model's declared shapes;
 * a run whose concrete shapes do not fit it (a symbolic dimension bound differently) runs the chain's reference
 * steps instead.
 */
public final class ElementwiseStep implements Step {
    /** How an operand is read: as the output (FULL), one value per channel, per batch×channel plane, or a scalar. */
    public enum Broadcast { FULL, CHANNEL, PLANE, SCALAR }

    public record Operand(String name, Broadcast broadcast) {
    }

    /** Elements per parallel plane where no operand needs NCHW planes: a few per thread, each cache-sized. */
    static final int CHUNK = 1 << 14;

    private final String input;
    private final List<Operand> operands;
    private final String output;
    private final Kernel kernel;
    private final int planesPerItem;
    private final List<Step> reference;
    private final String description;
    private final boolean needsPlanes;

    /**
     * @param planesPerItem planes per work item (the template's {@code planes} knob)
     * @param reference the chain's nodes as reference steps, for runs whose shapes do not fit the kernel
     */
    public ElementwiseStep(String input, List<Operand> operands, String output, Kernel kernel, int planesPerItem,
            List<Step> reference, String description) {
        this.input = input;
        this.operands = List.copyOf(operands);
        this.output = output;
        this.kernel = kernel;
        this.planesPerItem = planesPerItem;
        this.reference = List.copyOf(reference);
        this.description = description;
        this.needsPlanes = operands.stream().anyMatch(o -> o.broadcast() == Broadcast.CHANNEL
                || o.broadcast() == Broadcast.PLANE);
    }

    @Override
    public void run(ExecutionContext ctx) {
        Tensor x = ctx.get(input);
        int[] shape = x.shape();
        Tensor[] ops = new Tensor[operands.size()];
        boolean fits = x.dtype() == DataType.FLOAT && ctx.hasStaticType(output)
                && Arrays.equals(ctx.type(output).shape(), shape) && (!needsPlanes || shape.length >= 2);
        for (int i = 0; i < ops.length && fits; i++) {
            ops[i] = ctx.get(operands.get(i).name());
            fits = ops[i].dtype() == DataType.FLOAT && fits(operands.get(i).broadcast(), ops[i].shape(), shape);
        }
        if (!fits) {
            reference.forEach(s -> ctx.runReference(s, this));
            return;
        }
        float[] out = ctx.allocate(x.size());
        if (out.length > 0) {
            long plane = needsPlanes ? (long) out.length / ((long) shape[0] * shape[1]) : CHUNK;
            long channels = needsPlanes ? shape[1] : 1;
            MemorySegment[] bufs = new MemorySegment[ops.length + 2];
            bufs[0] = MemorySegment.ofArray(x.floats());
            for (int i = 0; i < ops.length; i++) {
                bufs[i + 1] = MemorySegment.ofArray(ops[i].floats());
            }
            bufs[ops.length + 1] = MemorySegment.ofArray(out);
            long[] scalars = {plane, channels, out.length};
            long planes = (out.length + plane - 1) / plane;
            long range = (planes + planesPerItem - 1) / planesPerItem;
            ctx.pool().parallelFor(range, (begin, end) -> kernel.invoke(bufs, scalars, begin, end));
        }
        ctx.put(output, Tensor.of(DataType.FLOAT, shape, out));
    }

    /** Whether an operand of this shape broadcasts over {@code shape} as the kernel reads it. */
    static boolean fits(Broadcast b, int[] operand, int[] shape) {
        int r = shape.length;
        if (operand.length > r) {
            return false;
        }
        int[] aligned = new int[r];
        Arrays.fill(aligned, 1);
        System.arraycopy(operand, 0, aligned, r - operand.length, operand.length);
        for (int a = 0; a < r; a++) {
            int expected = switch (b) {
                case FULL -> shape[a];
                case SCALAR -> 1;
                case CHANNEL -> a == 1 ? shape[1] : 1;
                case PLANE -> a <= 1 ? shape[a] : 1;
            };
            if (aligned[a] != expected) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String describe() {
        return description;
    }
}
