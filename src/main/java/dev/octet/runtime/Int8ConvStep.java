package dev.octet.runtime;

import dev.octet.ir.DataType;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.kernel.Int8ConvTemplate;
import dev.octet.kernel.Int8DepthwiseTemplate;
import dev.octet.kernel.Int8DirectConvTemplate;
import java.lang.foreign.MemorySegment;

/**
 * An int8 convolution (QLinearConv, or octet.ClampedQLinearConv) run by a native int8 conv kernel
 * ({@link Int8ConvTemplate}, {@link Int8DepthwiseTemplate} or {@link Int8DirectConvTemplate}, which take the same
 * buffers and scalars; the direct one in blocked layouts, converted here): u8 input
 * bytes in, u8 or s8 output bytes out, no copy of either. The packed weights, the bias and the multipliers are
 * made once at compile time; batch, spatial sizes and pads come from each run's shapes, the zero points and clamp
 * range are kernel arguments. With a {@link Residual} (octet.QLinearConvAdd) the kernel also reads the residual
 * tensor and writes the add's result (the GEMM template's residual stage).
 */
public final class Int8ConvStep implements Step {
    /** The requantization of the output: zero point and the clamp range within the output type. */
    public record Output(DataType type, int zeroPoint, int lo, int hi) {
    }

    /**
     * A template's packed constants: weights, bias, multipliers, and the input zero point they were made for;
     * {@code nchw4c} where the kernel reads and writes blocked NCHW4c activations ({@code Int8DirectConvTemplate}),
     * which this step converts to and from the graph's NCHW on each run.
     */
    public record Packed(MemorySegment weights, int[] bias, float[] multiplier, int inputZeroPoint, boolean nchw4c) {
    }

    /**
     * The fused residual add: the residual input (u8, the output's shape), the add's multipliers {ma, mr}, how it
     * reads the convolution's value (zero point za), the residual's zero point, and the add's output (its type, zero
     * point and clamp; the convolution's own requantization is then {@code Int8ConvStep}'s {@code out}).
     */
    public record Residual(String input, float[] multipliers, int za, int zr, Output out) {
    }

    /** The number of parallel work items of one run, as the template's configuration splits it. */
    @FunctionalInterface
    public interface ParallelRange {
        long of(int batch, int oh, int ow);
    }

    private final String input;
    private final String output;
    private final int outChannels;
    private final ConvStep.Geometry geometry;
    private final Kernel kernel;
    private final Packed params;
    private final ParallelRange range;
    private final Output out;
    private final Step reference;
    private final String description;
    private final Residual residual;

    public Int8ConvStep(String input, String output, int outChannels, ConvStep.Geometry geometry, Kernel kernel,
            Packed params, ParallelRange range, Output out, Step reference, String description) {
        this(input, output, outChannels, geometry, kernel, params, range, out, reference, description, null);
    }

    /** A step with the residual stage where {@code residual} is not null. */
    public Int8ConvStep(String input, String output, int outChannels, ConvStep.Geometry geometry, Kernel kernel,
            Packed params, ParallelRange range, Output out, Step reference, String description, Residual residual) {
        this.residual = residual;
        this.input = input;
        this.output = output;
        this.outChannels = outChannels;
        this.geometry = geometry;
        this.kernel = kernel;
        this.params = params;
        this.range = range;
        this.out = out;
        this.reference = reference;
        this.description = description;
    }

    @Override
    public void run(ExecutionContext ctx) {
        Tensor x = ctx.get(input);
        if (x.dtype() != DataType.UINT8 || x.rank() != 4 || !ctx.hasStaticType(output)) {
            ctx.runReference(reference, this);
            return;
        }
        TensorType outType = ctx.type(output);
        Tensor r = residual == null ? null : ctx.get(residual.input());
        if (r != null && (r.dtype() != DataType.UINT8 || !java.util.Arrays.equals(r.shape(), outType.shape())
                || params.nchw4c())) {
            ctx.runReference(reference, this);
            return;
        }
        int n = x.dim(0);
        int h = x.dim(2);
        int w = x.dim(3);
        int[] os = outType.shape();
        int oh = os[2];
        int ow = os[3];
        int[] pads = geometry.pads(h, w, oh, ow);
        boolean blocked = params.nchw4c();
        byte[] in = blocked ? Int8DirectConvTemplate.toNchw4c(x.bytes(), n, x.dim(1), h, w, (byte) 0) : x.bytes();
        int ySize = n * (blocked ? 4 * Int8DirectConvTemplate.quads(outChannels) : outChannels) * oh * ow;
        byte[] y = blocked ? new byte[ySize] : ctx.allocateBytes(ySize); // blocked: converted to a new array below
        MemorySegment[] plain = {MemorySegment.ofArray(in), params.weights(),
                MemorySegment.ofArray(params.bias()), MemorySegment.ofArray(params.multiplier()),
                MemorySegment.ofArray(y)};
        long[] convScalars = {h, w, oh, ow, pads[0], pads[1], params.inputZeroPoint(), out.zeroPoint(), out.lo(),
                out.hi()};
        MemorySegment[] bufs = plain;
        long[] scalars = convScalars;
        Output written = out;
        if (residual != null) {
            bufs = java.util.Arrays.copyOf(plain, 7);
            bufs[5] = MemorySegment.ofArray(r.bytes());
            bufs[6] = MemorySegment.ofArray(residual.multipliers());
            written = residual.out();
            scalars = Int8ConvTemplate.residualScalars(convScalars, residual.za(), residual.zr(), written.zeroPoint(),
                    written.lo(), written.hi());
        }
        MemorySegment[] b = bufs;
        long[] sc = scalars;
        ctx.pool().parallelFor(range.of(n, oh, ow),
                (begin, end) -> kernel.invoke(b, sc, begin, end));
        ctx.put(output, Tensor.ofBytes(written.type(), os,
                blocked ? Int8DirectConvTemplate.fromNchw4c(y, n, outChannels, oh, ow) : y));
    }

    @Override
    public String describe() {
        return description;
    }
}
