package dev.octet.runtime;

import dev.octet.ir.DataType;
import dev.octet.ir.Tensor;
import java.lang.foreign.MemorySegment;

/**
 * 2-D MaxPool of u8 or s8 bytes (a quantized graph's max-pool, run on the integers), one channel plane per work
 * item; padding takes no part in the maximum, as in the reference. It runs a native {@code Int8MaxPoolTemplate}
 * kernel where it has one (buffers {@code in, out}, scalars {@code H, W, OH, OW, PT, PL}), else plain Java loops
 * (the JVM backend).
 */
public final class Int8MaxPoolStep implements Step {
    private final String input;
    private final String output;
    private final PoolStep.Geometry geometry;
    private final Step reference;
    private final Kernel kernel;
    private final String description;

    /** A step on Java loops. */
    public Int8MaxPoolStep(String input, String output, PoolStep.Geometry geometry, Step reference) {
        this(input, output, geometry, reference, null, "java int8 MaxPool");
    }

    /** A step on a native kernel of {@code Int8MaxPoolTemplate} for the input's type (null: Java loops). */
    public Int8MaxPoolStep(String input, String output, PoolStep.Geometry geometry, Step reference, Kernel kernel,
            String description) {
        this.input = input;
        this.output = output;
        this.geometry = geometry;
        this.reference = reference;
        this.kernel = kernel;
        this.description = description;
    }

    @Override
    public void run(ExecutionContext ctx) {
        Tensor x = ctx.get(input);
        DataType t = x.dtype();
        if ((t != DataType.UINT8 && t != DataType.INT8) || x.rank() != 4 || !ctx.hasStaticType(output)) {
            ctx.runReference(reference, this);
            return;
        }
        int[] os = ctx.type(output).shape();
        int h = x.dim(2);
        int w = x.dim(3);
        int oh = os[2];
        int ow = os[3];
        long[] pads = geometry.pads(h, w, oh, ow);
        int top = (int) pads[0];
        int left = (int) pads[1];
        byte[] in = x.bytes();
        byte[] out = ctx.allocateBytes(os[0] * os[1] * oh * ow);
        if (kernel != null) {
            MemorySegment[] bufs = {MemorySegment.ofArray(in), MemorySegment.ofArray(out)};
            long[] scalars = {h, w, oh, ow, top, left};
            ctx.pool().parallelFor((long) os[0] * os[1], (begin, end) -> kernel.invoke(bufs, scalars, begin, end));
            ctx.put(output, Tensor.ofBytes(t, os, out));
            return;
        }
        int mask = t == DataType.UINT8 ? 0xFF : -1; // u8 compares unsigned, s8 signed
        PoolStep.Geometry g = geometry;
        ctx.pool().parallelFor((long) os[0] * os[1], (begin, end) -> {
            for (long plane = begin; plane < end; plane++) {
                int src = (int) plane * h * w;
                int dst = (int) plane * oh * ow;
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        int best = Integer.MIN_VALUE;
                        for (int ky = 0; ky < g.kernelH(); ky++) {
                            int iy = oy * g.strideH() - top + ky * g.dilationH();
                            if (iy < 0 || iy >= h) {
                                continue;
                            }
                            for (int kx = 0; kx < g.kernelW(); kx++) {
                                int ix = ox * g.strideW() - left + kx * g.dilationW();
                                if (ix >= 0 && ix < w) {
                                    best = Math.max(best, in[src + iy * w + ix] & mask);
                                }
                            }
                        }
                        out[dst + oy * ow + ox] = (byte) best; // a window without input keeps MIN: not a shape ONNX allows
                    }
                }
            }
        });
        ctx.put(output, Tensor.ofBytes(t, os, out));
    }

    @Override
    public String describe() {
        return description;
    }
}
