package dev.octet.kernel;

import dev.octet.ir.op.nn.EpilogueStep;

/**
 * An epilogue that the AVX-512 GEMM tile applies to its accumulators before the last store
 * ({@code octet_sgemm512_6x64_epi} in octet_sgemm.h): bias, then residual, then a lower and an upper clamp, each at
 * most once and in that order, which covers bias, ReLU, Clip and the residual shortcut of ResNet-style blocks. The
 * tile computes each step as one fp32 operation, exactly as {@link Epilogue#apply} does, so fusing changes no
 * result. Other epilogues (HardSwish, HardSigmoid, other orders) stay a separate pass.
 *
 * @param flags the OCTET_EPI_* bits of octet_sgemm.h
 * @param lo the lower clamp (OCTET_EPI_MAX), else 0
 * @param hi the upper clamp (OCTET_EPI_MIN), else 0
 */
record TileEpilogue(int flags, float lo, float hi) {
    static final int BIAS = 1;
    static final int RESIDUAL = 2;
    static final int MAX = 4;
    static final int MIN = 8;

    /** The tile form of an epilogue, or null where the tile cannot apply it (or there is nothing to apply). */
    static TileEpilogue of(Epilogue e) {
        int flags = 0;
        float lo = 0;
        float hi = 0;
        for (EpilogueStep s : e.steps()) {
            switch (s.kind()) {
                case BIAS -> {
                    if (flags != 0) {
                        return null;
                    }
                    flags |= BIAS;
                }
                case RESIDUAL -> {
                    if ((flags & ~BIAS) != 0) {
                        return null;
                    }
                    flags |= RESIDUAL;
                }
                case RELU, CLIP -> {
                    if ((flags & (MAX | MIN)) != 0) {
                        return null;
                    }
                    flags |= MAX;
                    lo = s.kind() == EpilogueStep.Kind.RELU ? 0f : s.a();
                    if (s.kind() == EpilogueStep.Kind.CLIP) {
                        flags |= MIN;
                        hi = s.b();
                    }
                }
                default -> {
                    return null;
                }
            }
        }
        return flags == 0 ? null : new TileEpilogue(flags, lo, hi);
    }
}
