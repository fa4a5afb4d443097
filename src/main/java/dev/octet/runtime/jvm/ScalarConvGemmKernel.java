package dev.octet.runtime.jvm;

import static dev.octet.runtime.jvm.ConvArgs.F32;

import dev.octet.kernel.Config;
import dev.octet.kernel.ConvWorkload;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * The scalar twin of {@link JvmConvGemmKernel}, for JVMs without the Vector API: the same loop nest and packing,
 * with an MR × 16 micro-kernel of plain loops over a tile held in an array (the JIT may still vectorize its
 * innermost loop). Sums in fp32 in k order, a multiply and an add per step.
 */
final class ScalarConvGemmKernel extends ConvGemmLoopNest {
    private static final int NR = 16;

    ScalarConvGemmKernel(ConvWorkload w, Config c) {
        super(w, c, NR, "jvm_scalar_");
    }

    @Override
    void tile(int klen, float[] a, int aOff, float[] b, int bOff, MemorySegment c, long cIndex, long ldc, int rows,
            int cols, boolean accumulate, Scratch scratch) {
        float[] t = scratch.tile(MR * NR);
        Arrays.fill(t, 0, MR * NR, 0f);
        if (accumulate) {
            for (int r = 0; r < rows; r++) {
                MemorySegment.copy(c, F32, (cIndex + r * ldc) * 4, t, r * NR, cols);
            }
        }
        for (int k = 0; k < klen; k++) {
            int ak = aOff + k * MR;
            int bk = bOff + k * NR;
            for (int r = 0; r < MR; r++) {
                float av = a[ak + r];
                int tr = r * NR;
                for (int j = 0; j < NR; j++) {
                    t[tr + j] += av * b[bk + j];
                }
            }
        }
        for (int r = 0; r < rows; r++) {
            MemorySegment.copy(t, r * NR, c, F32, (cIndex + r * ldc) * 4, cols);
        }
    }

    @Override
    void epilogueRow(MemorySegment out, long index, int n, float bias, MemorySegment res) {
        epilogue.applyInPlace(out, index, 0, n, bias, res);
    }
}
