package dev.octet.kernel;

/**
 * An ungrouped 2-D convolution in fp16 storage with fp32 accumulation, NHWC activations and HWIO weights, as the
 * fp16 template is specialised on it: channel counts, kernel size, strides and dilations are fixed; batch, spatial
 * sizes and pads are run-time arguments, as for every Octet conv. The accumulation type is part of the key because
 * the verifier's bound is built on it (DESIGN.md invariant 2): a record tuned under an fp32-accumulation bound must
 * never be applied to a workload that claims another.
 */
public record Fp16ConvWorkload(int inChannels, int outChannels, int kernelH, int kernelW, int strideH, int strideW,
        int dilationH, int dilationW) implements ConvShape {
    public Fp16ConvWorkload {
        if (inChannels < 1 || outChannels < 1 || kernelH < 1 || kernelW < 1 || strideH < 1 || strideW < 1
                || dilationH < 1 || dilationW < 1) {
            throw new IllegalArgumentException("bad fp16 convolution " + inChannels + ">" + outChannels + " k"
                    + kernelH + "x" + kernelW + " s" + strideH + "x" + strideW + " d" + dilationH + "x" + dilationW);
        }
    }

    /** The reduction length K of one output value: the terms of its fp32 sum. */
    public int reduction() {
        return inChannels * kernelH * kernelW;
    }

    /** Stable text for tuning-log keys. */
    @Override
    public String key() {
        return "conv2d_f16_nhwc[c" + inChannels + ">" + outChannels + ",k" + kernelH + "x" + kernelW + ",s" + strideH
                + "x" + strideW + ",d" + dilationH + "x" + dilationW + ",acc=f32]";
    }
}
