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
 * {@link dev.octet.kernel.ConvGemmTemplate}'s kernel on the Java Vector API: the shared loop nest with an MR × 2L
 * register-blocked micro-kernel (L = the preferred species' lanes; 6 × 16 with AVX2, as the C micro-kernel, and
 * 6 × 32 with AVX-512). Each reduction step broadcasts six weights and issues twelve fused multiply-adds, summing in
 * fp32 in k order as the C micro-kernel does.
 */
final class JvmConvGemmKernel extends ConvGemmLoopNest {
    private static final int NR = 2 * LANES;

    JvmConvGemmKernel(ConvWorkload w, Config c) {
        super(w, c, NR, "jvm_vector_");
    }

    @Override
    void tile(int klen, float[] a, int aOff, float[] b, int bOff, MemorySegment c, long cIndex, long ldc, int rows,
            int cols, boolean accumulate, Scratch scratch) {
        if (rows == MR && cols == NR) {
            microKernel(klen, a, aOff, b, bOff, c, cIndex * 4, ldc * 4, accumulate);
            return;
        }
        // An edge tile: the packed operands are zero-padded, so compute a whole tile aside and copy its valid part.
        MemorySegment t = scratch.tileSegment(MR * NR);
        if (accumulate) {
            t.fill((byte) 0);
            for (int r = 0; r < rows; r++) {
                MemorySegment.copy(c, F32, (cIndex + r * ldc) * 4, t, F32, (long) r * NR * 4, cols);
            }
        }
        microKernel(klen, a, aOff, b, bOff, t, 0, NR * 4L, accumulate);
        for (int r = 0; r < rows; r++) {
            MemorySegment.copy(t, F32, (long) r * NR * 4, c, F32, (cIndex + r * ldc) * 4, cols);
        }
    }

    /** The whole MR × NR tile at byte offset cAt of c, rows ldcBytes apart. */
    private static void microKernel(int klen, float[] a, int aOff, float[] b, int bOff, MemorySegment c, long cAt,
            long ldcBytes, boolean accumulate) {
        FloatVector c00;
        FloatVector c01;
        FloatVector c10;
        FloatVector c11;
        FloatVector c20;
        FloatVector c21;
        FloatVector c30;
        FloatVector c31;
        FloatVector c40;
        FloatVector c41;
        FloatVector c50;
        FloatVector c51;
        long half = LANES * 4L;
        if (accumulate) {
            long r = cAt;
            c00 = load(c, r);
            c01 = load(c, r + half);
            c10 = load(c, r += ldcBytes);
            c11 = load(c, r + half);
            c20 = load(c, r += ldcBytes);
            c21 = load(c, r + half);
            c30 = load(c, r += ldcBytes);
            c31 = load(c, r + half);
            c40 = load(c, r += ldcBytes);
            c41 = load(c, r + half);
            c50 = load(c, r += ldcBytes);
            c51 = load(c, r + half);
        } else {
            c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = c40 = c41 = c50 = c51 = FloatVector.zero(SPECIES);
        }
        for (int k = 0; k < klen; k++) {
            int bk = bOff + k * NR;
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bk);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bk + LANES);
            int ak = aOff + k * MR;
            FloatVector av = FloatVector.broadcast(SPECIES, a[ak]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(SPECIES, a[ak + 1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(SPECIES, a[ak + 2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(SPECIES, a[ak + 3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            av = FloatVector.broadcast(SPECIES, a[ak + 4]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            av = FloatVector.broadcast(SPECIES, a[ak + 5]);
            c50 = av.fma(b0, c50);
            c51 = av.fma(b1, c51);
        }
        long r = cAt;
        c00.intoMemorySegment(c, r, ORDER);
        c01.intoMemorySegment(c, r + half, ORDER);
        c10.intoMemorySegment(c, r += ldcBytes, ORDER);
        c11.intoMemorySegment(c, r + half, ORDER);
        c20.intoMemorySegment(c, r += ldcBytes, ORDER);
        c21.intoMemorySegment(c, r + half, ORDER);
        c30.intoMemorySegment(c, r += ldcBytes, ORDER);
        c31.intoMemorySegment(c, r + half, ORDER);
        c40.intoMemorySegment(c, r += ldcBytes, ORDER);
        c41.intoMemorySegment(c, r + half, ORDER);
        c50.intoMemorySegment(c, r += ldcBytes, ORDER);
        c51.intoMemorySegment(c, r + half, ORDER);
    }

    private static FloatVector load(MemorySegment c, long at) {
        return FloatVector.fromMemorySegment(SPECIES, c, at, ORDER);
    }

    @Override
    void epilogueRow(MemorySegment out, long index, int n, float bias, MemorySegment res) {
        VectorEpilogue.applyInPlace(epilogue, out, index, n, bias, res);
    }
}
