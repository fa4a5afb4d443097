package dev.octet.runtime.jvm;

import static dev.octet.runtime.jvm.VectorKernels.LANES;
import static dev.octet.runtime.jvm.VectorKernels.SPECIES;

import dev.octet.kernel.Config;
import dev.octet.kernel.ConvWorkload;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;

/**
 * {@link dev.octet.kernel.DepthwiseTemplate}'s kernel on the Java Vector API: the shared loop nest, whose taps are
 * summed a vector of output columns at a time. A multiply and an add per tap, as the C kernel (compiled without
 * contraction) does, so the two agree bit for bit.
 */
final class JvmDepthwiseKernel extends DepthwiseLoopNest {
    JvmDepthwiseKernel(ConvWorkload w, Config c) {
        super(w, c, "jvm_vector_");
    }

    @Override
    void accumulate(float[] acc, float[] row, int from, float wv, int n) {
        int x = 0;
        for (; x <= n - LANES; x += LANES) {
            FloatVector v = FloatVector.fromArray(SPECIES, row, from + x);
            FloatVector.fromArray(SPECIES, acc, x).add(v.mul(wv)).intoArray(acc, x);
        }
        for (; x < n; x++) {
            acc[x] += wv * row[from + x];
        }
    }

    @Override
    void epilogueRow(MemorySegment out, long index, int n, float bias, MemorySegment res) {
        VectorEpilogue.applyInPlace(epilogue, out, index, n, bias, res);
    }
}
