package dev.octet.runtime;

import dev.octet.ir.DataType;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.kernel.Config;
import dev.octet.kernel.Int8ConvTemplate;
import java.lang.foreign.MemorySegment;

/**
 * An int8 convolution (QLinearConv, or octet.ClampedQLinearConv) run by a native {@link Int8ConvTemplate} kernel:
 * u8 input bytes in, u8 or s8 output bytes out, no copy of either. The packed weights, the bias with −zp_x·Σw
 * folded in and the multipliers are made once at compile time ({@link Int8ConvTemplate.Params}); batch, spatial
 * sizes and pads come from each run's shapes, the zero points and clamp range are kernel arguments.
 */
public final class Int8ConvStep implements Step {
    /** The requantization of the output: zero point and the clamp range within the output type. */
    public record Output(DataType type, int zeroPoint, int lo, int hi) {
    }

    private final String input;
    private final String output;
    private final int outChannels;
    private final ConvStep.Geometry geometry;
    private final Kernel kernel;
    private final Int8ConvTemplate.Params params;
    private final Config config;
    private final Output out;
    private final Step reference;
    private final String description;

    public Int8ConvStep(String input, String output, int outChannels, ConvStep.Geometry geometry, Kernel kernel,
            Int8ConvTemplate.Params params, Config config, Output out, Step reference, String description) {
        this.input = input;
        this.output = output;
        this.outChannels = outChannels;
        this.geometry = geometry;
        this.kernel = kernel;
        this.params = params;
        this.config = config;
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
        int n = x.dim(0);
        int h = x.dim(2);
        int w = x.dim(3);
        int[] os = outType.shape();
        int oh = os[2];
        int ow = os[3];
        int[] pads = geometry.pads(h, w, oh, ow);
        byte[] y = new byte[n * outChannels * oh * ow];
        MemorySegment[] bufs = {MemorySegment.ofArray(x.bytes()), params.weights(),
                MemorySegment.ofArray(params.bias()), MemorySegment.ofArray(params.multiplier()),
                MemorySegment.ofArray(y)};
        long[] scalars = Int8ConvTemplate.scalars(params, h, w, oh, ow, pads[0], pads[1], out.zeroPoint(), out.lo(),
                out.hi());
        ctx.pool().parallelFor(Int8ConvTemplate.parallelRange(n, oh, ow, config),
                (begin, end) -> kernel.invoke(bufs, scalars, begin, end));
        ctx.put(output, Tensor.ofBytes(out.type(), os, y));
    }

    @Override
    public String describe() {
        return description;
    }
}
