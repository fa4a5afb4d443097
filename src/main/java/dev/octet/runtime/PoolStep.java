package dev.octet.runtime;

import dev.octet.ir.DataType;
import dev.octet.ir.Tensor;
import java.lang.foreign.MemorySegment;

/**
 * 2-D fp32 pooling (MaxPool, AveragePool, GlobalAveragePool) run by a native kernel over the batch×channel planes.
 * Spatial sizes and pads are computed for each run from the run's shapes; an input that is not a 4-D fp32 tensor
 * runs the reference step instead.
 */
public final class PoolStep implements Step {
    /**
     * Window geometry the run-time arguments depend on; null for global pooling.
     *
     * @param pads explicit pads {top, left, bottom, right} (used where autoPad is NOTSET)
     */
    public record Geometry(int kernelH, int kernelW, int strideH, int strideW, int dilationH, int dilationW,
            String autoPad, int[] pads) {
        public Geometry {
            pads = pads.clone();
        }

        /** {top, left, bottom, right} for an input and output of these sizes (auto_pad SAME_* depends on them). */
        long[] pads(int h, int w, int oh, int ow) {
            return switch (autoPad) {
                case "SAME_UPPER", "SAME_LOWER" -> {
                    long th = Math.max(0, (long) (oh - 1) * strideH + (long) (kernelH - 1) * dilationH + 1 - h);
                    long tw = Math.max(0, (long) (ow - 1) * strideW + (long) (kernelW - 1) * dilationW + 1 - w);
                    long top = autoPad.equals("SAME_UPPER") ? th / 2 : th - th / 2;
                    long left = autoPad.equals("SAME_UPPER") ? tw / 2 : tw - tw / 2;
                    yield new long[] {top, left, th - top, tw - left};
                }
                case "VALID" -> new long[] {0, 0, 0, 0};
                default -> new long[] {pads[0], pads[1], pads[2], pads[3]};
            };
        }
    }

    private final String input;
    private final String output;
    private final Geometry geometry;
    private final Kernel kernel;
    private final Step reference;
    private final String description;

    /** @param geometry the window, or null for global pooling */
    public PoolStep(String input, String output, Geometry geometry, Kernel kernel, Step reference,
            String description) {
        this.input = input;
        this.output = output;
        this.geometry = geometry;
        this.kernel = kernel;
        this.reference = reference;
        this.description = description;
    }

    @Override
    public void run(ExecutionContext ctx) {
        Tensor x = ctx.get(input);
        int[] os = ctx.hasStaticType(output) ? ctx.type(output).shape() : null;
        if (x.dtype() != DataType.FLOAT || x.rank() != 4 || x.size() == 0 || os == null || os.length != 4
                || os[0] != x.dim(0) || os[1] != x.dim(1)) {
            ctx.runReference(reference, this);
            return;
        }
        int h = x.dim(2);
        int w = x.dim(3);
        long[] scalars;
        if (geometry == null) {
            scalars = new long[] {(long) h * w};
        } else {
            long[] p = geometry.pads(h, w, os[2], os[3]);
            scalars = new long[] {h, w, os[2], os[3], p[0], p[1], p[2], p[3]};
        }
        float[] out = ctx.allocate(os[0] * os[1] * os[2] * os[3]);
        if (out.length > 0) {
            MemorySegment[] bufs = {MemorySegment.ofArray(x.floats()), MemorySegment.ofArray(out)};
            ctx.pool().parallelFor((long) os[0] * os[1], (begin, end) -> kernel.invoke(bufs, scalars, begin, end));
        }
        ctx.put(output, Tensor.of(DataType.FLOAT, os, out));
    }

    @Override
    public String describe() {
        return description;
    }
}
