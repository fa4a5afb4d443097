package dev.octet.runtime.jvm;

import dev.octet.kernel.Epilogue;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The arguments of a conv kernel call as the templates define them (ConvGemmTemplate, DepthwiseTemplate): buffers
 * {@code in, w, [bias], [res], out}, scalars {@code H, W, OH, OW, PT, PL}.
 *
 * @param bias the bias buffer, or null where the epilogue has none
 * @param res the residual buffer, or null where the epilogue has none
 */
record ConvArgs(MemorySegment in, MemorySegment w, MemorySegment bias, MemorySegment res, MemorySegment out,
        int h, int wd, int oh, int ow, int pt, int pl) {
    static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;

    static ConvArgs of(String kernel, Epilogue e, MemorySegment[] buffers, long[] scalars) {
        int expected = 3 + (e.hasBias() ? 1 : 0) + (e.hasResidual() ? 1 : 0);
        if (buffers.length != expected || scalars.length != 6) {
            throw new IllegalArgumentException(kernel + " takes " + expected + " buffers and 6 scalars, got "
                    + buffers.length + " and " + scalars.length);
        }
        int b = 2;
        MemorySegment bias = e.hasBias() ? buffers[b++] : null;
        MemorySegment res = e.hasResidual() ? buffers[b++] : null;
        return new ConvArgs(buffers[0], buffers[1], bias, res, buffers[b], Math.toIntExact(scalars[0]),
                Math.toIntExact(scalars[1]), Math.toIntExact(scalars[2]), Math.toIntExact(scalars[3]),
                Math.toIntExact(scalars[4]), Math.toIntExact(scalars[5]));
    }

    float biasOf(int channel) {
        return bias == null ? 0f : bias.getAtIndex(F32, channel);
    }

    /**
     * The float[] behind a heap segment made by {@code MemorySegment.ofArray(float[])}, else null. The GEMM
     * micro-kernel reads its weight panels from an array: the JIT hoists the array's range checks out of the
     * reduction loop, which it does not do for a segment's.
     */
    static float[] backingArray(MemorySegment s) {
        if (s.address() == 0 && s.heapBase().orElse(null) instanceof float[] a && a.length * 4L == s.byteSize()) {
            return a;
        }
        return null;
    }
}
