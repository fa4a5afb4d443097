package dev.octet.runtime;

import dev.octet.ir.DataType;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import java.lang.foreign.MemorySegment;

/**
 * A 2-D fp32 convolution run by a native kernel: packed weights and bias are owned here; batch, spatial sizes and
 * pads are computed for each run from the run's shapes.
 */
public final class ConvStep implements Step {
    /** The number of parallel work items of one run, as the template's configuration splits it. */
    @FunctionalInterface
    public interface ParallelRange {
        long of(int batch, int oh, int ow);
    }

    /** Conv geometry the run-time arguments depend on. */
    public record Geometry(int kernelH, int kernelW, int strideH, int strideW, int dilationH, int dilationW,
            String autoPad, int padTop, int padLeft) {
        /** Top and left padding for an input of this size (auto_pad SAME_* depends on it). */
        int[] pads(int h, int w, int oh, int ow) {
            return switch (autoPad) {
                case "SAME_UPPER", "SAME_LOWER" -> {
                    int th = Math.max(0, (oh - 1) * strideH + (kernelH - 1) * dilationH + 1 - h);
                    int tw = Math.max(0, (ow - 1) * strideW + (kernelW - 1) * dilationW + 1 - w);
                    boolean upper = autoPad.equals("SAME_UPPER");
                    yield new int[] {upper ? th / 2 : th - th / 2, upper ? tw / 2 : tw - tw / 2};
                }
                case "VALID" -> new int[] {0, 0};
                default -> new int[] {padTop, padLeft};
            };
        }
    }

    private final String input;
    private final String residual;
    private final String output;
    private final int outChannels;
    private final Geometry geometry;
    private final Kernel kernel;
    private final MemorySegment weights;
    private final MemorySegment bias;
    private final ParallelRange range;
    private final boolean writesOverResidual;
    private final String description;

    /**
     * A step whose kernel splits its work as {@code range} says (the template's parallel range).
     *
     * @param residual the value added in the epilogue, or null
     * @param bias the bias, or null where the epilogue has none
     * @param writesOverResidual whether the kernel may be handed the residual's array as its output (see
     *     ConvTemplates#writesOverResidual): it is, where this step is the residual's last reader
     */
    public ConvStep(String input, String residual, String output, int outChannels, Geometry geometry,
            Kernel kernel, float[] packedWeights, float[] bias, ParallelRange range, boolean writesOverResidual,
            String description) {
        this.input = input;
        this.residual = residual;
        this.output = output;
        this.outChannels = outChannels;
        this.geometry = geometry;
        this.kernel = kernel;
        this.weights = MemorySegment.ofArray(packedWeights);
        this.bias = bias == null ? null : MemorySegment.ofArray(bias);
        this.range = range;
        // never over the conv's own input, which the tiles of other pixel blocks are still reading
        this.writesOverResidual = residual != null && !residual.equals(input) && writesOverResidual;
        this.description = description;
    }

    @Override
    public void run(ExecutionContext ctx) {
        Tensor x = ctx.get(input);
        TensorType outType = ctx.type(output);
        int n = x.dim(0);
        int h = x.dim(2);
        int w = x.dim(3);
        int[] os = outType.shape();
        int oh = os[2];
        int ow = os[3];
        int[] pads = geometry.pads(h, w, oh, ow);
        int size = n * outChannels * oh * ow;
        float[] out = writesOverResidual ? ctx.allocateOver(residual, size) : ctx.allocate(size);
        MemorySegment[] bufs = new MemorySegment[2 + (bias != null ? 1 : 0) + (residual != null ? 1 : 0) + 1];
        int b = 0;
        bufs[b++] = MemorySegment.ofArray(x.floats());
        bufs[b++] = weights;
        if (bias != null) {
            bufs[b++] = bias;
        }
        if (residual != null) {
            bufs[b++] = MemorySegment.ofArray(ctx.get(residual).floats());
        }
        bufs[b] = MemorySegment.ofArray(out);
        long[] scalars = {h, w, oh, ow, pads[0], pads[1]};
        ctx.pool().parallelFor(range.of(n, oh, ow), (begin, end) -> kernel.invoke(bufs, scalars, begin, end));
        ctx.put(output, Tensor.of(DataType.FLOAT, os, out));
    }

    @Override
    public String describe() {
        return description;
    }
}
