package dev.octet.kernel;

import static dev.octet.kernel.Int8ConvTemplate.AMX;
import static dev.octet.kernel.Int8ConvTemplate.MADDUBS;
import static dev.octet.kernel.Int8ConvTemplate.VNNI;

import dev.octet.kernel.Int8ConvTemplate.Params;
import java.lang.foreign.MemorySegment;

/**
 * One convolution's constants packed for {@link Int8ConvTemplate}: the weights in the variant's layout (the panels of
 * {@link #packA}, narrowed to bytes for maddubs and VNNI; {@link Int8AmxWeights} for AMX), the bias with −zp_x·Σw
 * folded in and the multipliers, each per group padded to whole tiles. Apart from the template, which prints the
 * kernel that reads them.
 */
final class Int8ConvPacking {
    private Int8ConvPacking() {
    }

    /** {@link Int8ConvTemplate#pack} for one variant, without its maddubs pair check. */
    static Params pack(Int8ConvWorkload w, int variant, byte[] weights, int[] bias,
            float[] multiplier, int inputZeroPoint) {
        int cout = w.outChannels();
        if (bias != null && bias.length != cout || multiplier.length != cout) {
            throw new IllegalArgumentException("expected " + cout + " bias values and multipliers");
        }
        if (inputZeroPoint < 0 || inputZeroPoint > 255) {
            throw new IllegalArgumentException("u8 input zero point " + inputZeroPoint);
        }
        int m = w.outPerGroup();
        int mp = ConvGemmTemplate.roundUp(m, variant == AMX ? Int8ConvTemplate.MR_AMX : Int8ConvTemplate.MR);
        int k = w.inPerGroup() * w.kernelH() * w.kernelW();
        int[] packedBias = new int[w.groups() * mp];
        float[] packedMult = new float[w.groups() * mp];
        for (int co = 0; co < cout; co++) {
            if (!Float.isFinite(multiplier[co])) {
                throw new IllegalArgumentException("multiplier of channel " + co + " is " + multiplier[co]);
            }
            int sum = 0;
            for (int i = 0; i < k; i++) {
                sum += weights[co * k + i];
            }
            int slot = co / m * mp + co % m;
            packedBias[slot] = (bias == null ? 0 : bias[co]) - inputZeroPoint * sum; // int32, wrapping as the kernel
            packedMult[slot] = multiplier[co];
        }
        MemorySegment segment;
        if (variant == AMX) {
            return new Params(MemorySegment.ofArray(Int8AmxWeights.pack(w, weights)), packedBias, packedMult,
                    inputZeroPoint);
        }
        short[] a = packA(w, weights);
        if (variant == MADDUBS || variant == VNNI) {
            byte[] bytes = new byte[a.length];
            for (int i = 0; i < a.length; i++) {
                bytes[i] = (byte) a[i];
            }
            segment = MemorySegment.ofArray(bytes);
        } else {
            segment = MemorySegment.ofArray(a);
        }
        return new Params(segment, packedBias, packedMult, inputZeroPoint);
    }

    /**
     * The one weight layout: per group, panels of mr output rows; in a panel, reduction group q = (quad, ky, kx),
     * then row r, then the 4 channels of the quad: {@code [g][panel][q][r][4]}. Rows past the group's channels and
     * channels past Cin/g are 0. Values as shorts (s8 values; the maddubs variant narrows them to bytes).
     */
    static short[] packA(Int8ConvWorkload w, byte[] weights) {
        if (weights.length != w.weightCount()) {
            throw new IllegalArgumentException("expected " + w.weightCount() + " weights, got " + weights.length);
        }
        int mr = Int8ConvTemplate.MR;
        int m = w.outPerGroup();
        int mp = ConvGemmTemplate.roundUp(m, mr);
        int cg = w.inPerGroup();
        int kh = w.kernelH();
        int kw = w.kernelW();
        int groups4 = w.reductionGroups();
        short[] packed = new short[w.groups() * mp * groups4 * 4];
        for (int co = 0; co < w.outChannels(); co++) {
            int g = co / m;
            int row = co % m;
            int panelBase = (g * mp + row / mr * mr) * groups4 * 4;
            for (int c = 0; c < cg; c++) {
                for (int ky = 0; ky < kh; ky++) {
                    for (int kx = 0; kx < kw; kx++) {
                        int q = (c / 4 * kh + ky) * kw + kx;
                        packed[panelBase + (q * mr + row % mr) * 4 + c % 4] =
                                weights[((co * cg + c) * kh + ky) * kw + kx];
                    }
                }
            }
        }
        return packed;
    }
}
