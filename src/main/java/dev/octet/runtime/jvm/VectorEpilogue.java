package dev.octet.runtime.jvm;

import static dev.octet.runtime.jvm.VectorKernels.LANES;
import static dev.octet.runtime.jvm.VectorKernels.ORDER;
import static dev.octet.runtime.jvm.VectorKernels.SPECIES;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;

/** {@link JvmEpilogue} on whole vectors: the same op codes and fp32 formulas, lane by lane. */
final class VectorEpilogue {
    private VectorEpilogue() {
    }

    /** The epilogue on out[index, index + n): full vectors here, the tail by the scalar formulas. */
    static void applyInPlace(JvmEpilogue e, MemorySegment out, long index, int n, float bias, MemorySegment res) {
        int j = 0;
        for (; j <= n - LANES; j += LANES) {
            long at = (index + j) * 4;
            FloatVector v = FloatVector.fromMemorySegment(SPECIES, out, at, ORDER);
            for (int i = 0; i < e.ops.length; i++) {
                v = switch (e.ops[i]) {
                    case JvmEpilogue.BIAS -> v.add(bias);
                    case JvmEpilogue.RESIDUAL -> v.add(FloatVector.fromMemorySegment(SPECIES, res, at, ORDER));
                    case JvmEpilogue.RELU -> v.max(0f);
                    case JvmEpilogue.CLIP -> v.max(e.p[i]).min(e.q[i]);
                    case JvmEpilogue.HARD_SIGMOID -> v.mul(e.p[i]).add(e.q[i]).max(0f).min(1f);
                    case JvmEpilogue.HARD_SWISH -> v.mul(v.div(6f).add(0.5f).max(0f).min(1f));
                    default -> throw new IllegalStateException("epilogue op " + e.ops[i]);
                };
            }
            v.intoMemorySegment(out, at, ORDER);
        }
        e.applyInPlace(out, index, j, n, bias, res);
    }
}
