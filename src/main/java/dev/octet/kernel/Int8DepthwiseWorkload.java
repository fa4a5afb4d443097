package dev.octet.kernel;

/**
 * An int8 depthwise convolution (group = channels, one output channel per input channel; u8 activations, s8
 * weights per channel, int32 accumulation, requantized to u8 or s8) as kernels are specialised on it: channels,
 * kernel size, strides, dilations and the output type are fixed; batch, spatial sizes, pads, zero points and the
 * clamp range are run-time arguments. Every product (q_x − zp_x)·w is exact in int16, so no weight property is part
 * of the key.
 */
public record Int8DepthwiseWorkload(int channels, int kernelH, int kernelW, int strideH, int strideW, int dilationH,
        int dilationW, boolean signedOutput) {
    public Int8DepthwiseWorkload {
        if (channels <= 0) {
            throw new IllegalArgumentException("channels must be positive");
        }
        if (kernelH <= 0 || kernelW <= 0 || strideH <= 0 || strideW <= 0 || dilationH <= 0 || dilationW <= 0) {
            throw new IllegalArgumentException("kernel sizes, strides and dilations must be positive");
        }
    }

    /**
     * The depthwise workload of an int8 convolution, or null where it is not depthwise (group = C_in = C_out: one
     * output channel per input channel), or where the residual add is fused (the depthwise epilogue has no
     * residual stage).
     */
    public static Int8DepthwiseWorkload of(Int8ConvWorkload w) {
        if (w.groups() != w.inChannels() || w.groups() != w.outChannels() || w.residual()) {
            return null;
        }
        return new Int8DepthwiseWorkload(w.outChannels(), w.kernelH(), w.kernelW(), w.strideH(), w.strideW(),
                w.dilationH(), w.dilationW(), w.signedOutput());
    }

    /** Weight pairs per kernel row: horizontal taps (kx, kx+1), the last one alone where the width is odd. */
    int pairsPerRow() {
        return (kernelW + 1) / 2;
    }

    /** Number of weights of the unpacked tensor {@code [C][1][KH][KW]}. */
    public int weightCount() {
        return channels * kernelH * kernelW;
    }

    /** Stable text for tuning-log keys. */
    public String key() {
        return "dwconv2d_u8s8" + (signedOutput ? "s8" : "u8") + "[c" + channels + ",k" + kernelH + "x" + kernelW
                + ",s" + strideH + "x" + strideW + ",d" + dilationH + "x" + dilationW + "]";
    }
}
