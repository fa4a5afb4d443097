package dev.octet.runtime.jvm;

import static dev.octet.runtime.jvm.ConvArgs.F32;
import static dev.octet.runtime.jvm.VectorKernels.LANES;
import static dev.octet.runtime.jvm.VectorKernels.ORDER;
import static dev.octet.runtime.jvm.VectorKernels.SPECIES;

import dev.octet.kernel.Config;
import dev.octet.kernel.ConvWorkload;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;

/**
 * {@link dev.octet.kernel.DepthwiseTemplate}'s kernel on the Java Vector API: the shared loop nest, whose taps are
 * summed a vector of output columns at a time where the stride is 1 (the input columns are contiguous) and column
 * by column otherwise. A multiply and an add per tap, as the C kernel (compiled without contraction) does, so the
 * two agree bit for bit.
 */
final class JvmDepthwiseKernel extends DepthwiseLoopNest {
    JvmDepthwiseKernel(ConvWorkload w, Config c) {
        super(w, c, "jvm_vector_");
    }

    @Override
    void accumulate(float[] acc, MemorySegment in, long src, int stride, float wv, int lo, int hi) {
        int x = lo;
        if (stride == 1) {
            for (; x <= hi - LANES; x += LANES) {
                FloatVector v = FloatVector.fromMemorySegment(SPECIES, in, (src + x) * 4, ORDER);
                FloatVector.fromArray(SPECIES, acc, x).add(v.mul(wv)).intoArray(acc, x);
            }
        }
        for (; x < hi; x++) {
            acc[x] += wv * in.getAtIndex(F32, src + (long) x * stride);
        }
    }

    @Override
    void epilogueRow(MemorySegment out, long index, int n, float bias, MemorySegment res) {
        VectorEpilogue.applyInPlace(epilogue, out, index, n, bias, res);
    }
}
