package dev.octet.runtime.jvm;

import static dev.octet.runtime.jvm.ConvArgs.F32;

import dev.octet.kernel.Config;
import dev.octet.kernel.ConvWorkload;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * The scalar twin of {@link JvmConvGemmKernel}, for JVMs without the Vector API: the same loop nest and packing,
 * with an MR × 16 micro-kernel of plain Java computed as four MR × 4 register blocks. Sums in fp32 in k order, a
 * multiply and an add per step (no {@link Math#fma}, which is slow where the CPU lacks the instruction).
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
        for (int j = 0; j < NR; j += 4) {
            block(klen, a, aOff, b, bOff + j, t, j);
        }
        for (int r = 0; r < rows; r++) {
            MemorySegment.copy(t, r * NR, c, F32, (cIndex + r * ldc) * 4, cols);
        }
    }

    /**
     * Columns [j, j + 4) of the tile: 24 sums in local variables, which the JIT keeps in registers, where a loop over
     * the tile's array would load and store each sum at every step (four times slower).
     */
    private static void block(int klen, float[] a, int aOff, float[] b, int bOff, float[] t, int j) {
        float c00 = t[j];
        float c01 = t[j + 1];
        float c02 = t[j + 2];
        float c03 = t[j + 3];
        float c10 = t[NR + j];
        float c11 = t[NR + j + 1];
        float c12 = t[NR + j + 2];
        float c13 = t[NR + j + 3];
        float c20 = t[2 * NR + j];
        float c21 = t[2 * NR + j + 1];
        float c22 = t[2 * NR + j + 2];
        float c23 = t[2 * NR + j + 3];
        float c30 = t[3 * NR + j];
        float c31 = t[3 * NR + j + 1];
        float c32 = t[3 * NR + j + 2];
        float c33 = t[3 * NR + j + 3];
        float c40 = t[4 * NR + j];
        float c41 = t[4 * NR + j + 1];
        float c42 = t[4 * NR + j + 2];
        float c43 = t[4 * NR + j + 3];
        float c50 = t[5 * NR + j];
        float c51 = t[5 * NR + j + 1];
        float c52 = t[5 * NR + j + 2];
        float c53 = t[5 * NR + j + 3];
        for (int k = 0; k < klen; k++) {
            int bk = bOff + k * NR;
            float b0 = b[bk];
            float b1 = b[bk + 1];
            float b2 = b[bk + 2];
            float b3 = b[bk + 3];
            int ak = aOff + k * MR;
            float av = a[ak];
            c00 += av * b0;
            c01 += av * b1;
            c02 += av * b2;
            c03 += av * b3;
            av = a[ak + 1];
            c10 += av * b0;
            c11 += av * b1;
            c12 += av * b2;
            c13 += av * b3;
            av = a[ak + 2];
            c20 += av * b0;
            c21 += av * b1;
            c22 += av * b2;
            c23 += av * b3;
            av = a[ak + 3];
            c30 += av * b0;
            c31 += av * b1;
            c32 += av * b2;
            c33 += av * b3;
            av = a[ak + 4];
            c40 += av * b0;
            c41 += av * b1;
            c42 += av * b2;
            c43 += av * b3;
            av = a[ak + 5];
            c50 += av * b0;
            c51 += av * b1;
            c52 += av * b2;
            c53 += av * b3;
        }
        store(t, j, c00, c01, c02, c03);
        store(t, NR + j, c10, c11, c12, c13);
        store(t, 2 * NR + j, c20, c21, c22, c23);
        store(t, 3 * NR + j, c30, c31, c32, c33);
        store(t, 4 * NR + j, c40, c41, c42, c43);
        store(t, 5 * NR + j, c50, c51, c52, c53);
    }

    private static void store(float[] t, int at, float v0, float v1, float v2, float v3) {
        t[at] = v0;
        t[at + 1] = v1;
        t[at + 2] = v2;
        t[at + 3] = v3;
    }

    @Override
    void epilogueRow(MemorySegment out, long index, int n, float bias, MemorySegment res) {
        epilogue.applyInPlace(out, index, 0, n, bias, res);
    }
}
