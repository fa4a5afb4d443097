package dev.octet.kernel;

/**
 * The packed weights of {@link Int8ConvTemplate}'s AMX variant: the A operand of TDPBSUD (s8, the signed source),
 * tiles of 16 output channels × 64 bytes, read with a stride of 64 bytes by the micro-kernel of octet_qamx.h.
 */
final class Int8AmxWeights {
    private static final int PANEL = Int8ConvTemplate.MR_AMX;
    private static final int STEP = Int8ConvTemplate.KQ_AMX;

    private Int8AmxWeights() {
    }

    /**
     * Per group, panels of 32 output rows; per block of 16 reduction groups q (q = (quad, ky, kx), as for the other
     * variants), two A tiles of 16 rows × 64 bytes (rows 0-15, then 16-31 of the panel), a row holding the block's
     * 16 groups × 4 channels: {@code [g][panel][q / 16][r / 16][r % 16][q % 16][4]}. Rows past the group's channels,
     * channels past Cin/g and groups past the last whole 16 are 0, so the padding adds nothing.
     */
    static byte[] pack(Int8ConvWorkload w, byte[] weights) {
        if (weights.length != w.weightCount()) {
            throw new IllegalArgumentException("expected " + w.weightCount() + " weights, got " + weights.length);
        }
        int m = w.outPerGroup();
        int mp = ConvGemmTemplate.roundUp(m, PANEL);
        int cg = w.inPerGroup();
        int kh = w.kernelH();
        int kw = w.kernelW();
        int gq = ConvGemmTemplate.roundUp(w.reductionGroups(), STEP);
        byte[] packed = new byte[w.groups() * mp * gq * 4];
        for (int co = 0; co < w.outChannels(); co++) {
            int row = co % m;
            int r = row % PANEL;
            int rowBase = (co / m * mp + row / PANEL * PANEL) * gq * 4 + r / 16 * 1024 + r % 16 * 64;
            for (int c = 0; c < cg; c++) {
                for (int ky = 0; ky < kh; ky++) {
                    for (int kx = 0; kx < kw; kx++) {
                        int q = (c / 4 * kh + ky) * kw + kx;
                        packed[rowBase + q / STEP * 2048 + q % STEP * 4 + c % 4] =
                                weights[((co * cg + c) * kh + ky) * kw + kx];
                    }
                }
            }
        }
        return packed;
    }
}
