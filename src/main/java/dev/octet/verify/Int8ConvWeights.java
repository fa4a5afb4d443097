package dev.octet.verify;

import dev.octet.kernel.Int8ConvWorkload;
import java.util.Random;

/**
 * The s8 weight families int8 convolution kernels are verified with (random, and the corners of the domain), drawn
 * so that they respect the workload's {@code pairsFitMaddubs} promise: a kernel may rely on it (DESIGN.md invariant
 * 1), so weights that broke it would test a case that never runs. One generator for the tuner and the tests.
 */
public final class Int8ConvWeights {
    /** The corner values: both ends of s8, and ±64 (a pair of them is exactly at the vpmaddubsw limit). */
    public static final int[] CORNER_WEIGHTS = {-128, -127, 127, 64, -64};

    private Int8ConvWeights() {
    }

    /**
     * Weights [Cout][Cin/g][KH][KW]. Where the workload says its pairs fit vpmaddubsw, each pair the kernel adds into
     * one int16 (channels 2i and 2i+1 of a group at the same kernel position) is drawn with |a| + |b| ≤ 128, at the
     * boundary for corner values (−128 with 0, 127 with ±1, 64 with ±64).
     */
    public static byte[] random(Random r, Int8ConvWorkload w, boolean corners) {
        int cg = w.inPerGroup();
        int khw = w.kernelH() * w.kernelW();
        byte[] out = new byte[w.weightCount()];
        for (int co = 0; co < w.outChannels(); co++) {
            for (int c = 0; c < cg; c += 2) {
                for (int k = 0; k < khw; k++) {
                    int a = corners ? CORNER_WEIGHTS[r.nextInt(CORNER_WEIGHTS.length)] : r.nextInt(256) - 128;
                    int b;
                    if (!w.pairsFitMaddubs()) {
                        b = corners ? CORNER_WEIGHTS[r.nextInt(CORNER_WEIGHTS.length)] : r.nextInt(256) - 128;
                    } else {
                        int room = 128 - Math.abs(a);
                        b = Math.min(127, corners ? (r.nextBoolean() ? room : -room) : r.nextInt(2 * room + 1) - room);
                    }
                    out[(co * cg + c) * khw + k] = (byte) a;
                    if (c + 1 < cg) {
                        out[(co * cg + c + 1) * khw + k] = (byte) b;
                    }
                }
            }
        }
        return out;
    }
}
