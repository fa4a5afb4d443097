package dev.octet.runtime.jvm;

import static dev.octet.runtime.jvm.ConvArgs.F32;

import dev.octet.kernel.Config;
import dev.octet.kernel.ConvWorkload;
import java.lang.foreign.MemorySegment;

/** The scalar twin of {@link JvmDepthwiseKernel}: the same loop nest and arithmetic, column by column. */
final class ScalarDepthwiseKernel extends DepthwiseLoopNest {
    ScalarDepthwiseKernel(ConvWorkload w, Config c) {
        super(w, c, "jvm_scalar_");
    }

    @Override
    void accumulate(float[] acc, MemorySegment in, long src, int stride, float wv, int lo, int hi) {
        for (int x = lo; x < hi; x++) {
            acc[x] += wv * in.getAtIndex(F32, src + (long) x * stride);
        }
    }

    @Override
    void epilogueRow(MemorySegment out, long index, int n, float bias, MemorySegment res) {
        epilogue.applyInPlace(out, index, 0, n, bias, res);
    }
}
