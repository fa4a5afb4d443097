package dev.octet.runtime.jvm;

import dev.octet.kernel.Config;
import dev.octet.kernel.ConvWorkload;
import java.lang.foreign.MemorySegment;

/** The scalar twin of {@link JvmDepthwiseKernel}: the same loop nest and arithmetic, column by column. */
final class ScalarDepthwiseKernel extends DepthwiseLoopNest {
    ScalarDepthwiseKernel(ConvWorkload w, Config c) {
        super(w, c, "jvm_scalar_");
    }

    @Override
    void accumulate(float[] acc, float[] row, int from, float wv, int n) {
        for (int x = 0; x < n; x++) {
            acc[x] += wv * row[from + x];
        }
    }

    @Override
    void epilogueRow(MemorySegment out, long index, int n, float bias, MemorySegment res) {
        epilogue.applyInPlace(out, index, 0, n, bias, res);
    }
}
