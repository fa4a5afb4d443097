package dev.octet.kernel;

/**
 * A 2-D int8 convolution (u8 activations, s8 weights per output channel, int32 accumulation, requantized to u8
 * or s8) as kernels are specialised on it: channel counts, kernel size, strides, dilations, groups and the output
 * type are fixed; batch, spatial sizes, pads, zero points and the clamp range are run-time arguments.
 *
 * <p>{@code pairsFitMaddubs} is a property of the weights, not of the shape: every packed pair of weights has
 * |w₂ᵢ| + |w₂ᵢ₊₁| ≤ 128, so the {@code vpmaddubsw} variant cannot saturate (DESIGN.md invariant 1). It is part of
 * the key, so a tuned record made for weights with the property is never applied to weights without it. Build
 * workloads for real weights with {@link #forWeights}, which computes it.
 *
 * <p>{@code residual}: the convolution's int8 residual add is fused into its epilogue (octet.QLinearConvAdd): the
 * kernel takes the residual tensor and the add's parameters too, and {@code signedOutput} is the add's output type.
 * Only the GEMM template ({@link Int8ConvTemplate}) has that stage; the others are invalid for such a workload.
 * It is part of the key: tuning records of a convolution with and without it stay apart.
 */
public record Int8ConvWorkload(int inChannels, int outChannels, int groups, int kernelH, int kernelW, int strideH,
        int strideW, int dilationH, int dilationW, boolean pointwise, boolean signedOutput, boolean pairsFitMaddubs,
        boolean residual) implements ConvShape {
    /** A workload without the residual stage. */
    public Int8ConvWorkload(int inChannels, int outChannels, int groups, int kernelH, int kernelW, int strideH,
            int strideW, int dilationH, int dilationW, boolean pointwise, boolean signedOutput,
            boolean pairsFitMaddubs) {
        this(inChannels, outChannels, groups, kernelH, kernelW, strideH, strideW, dilationH, dilationW, pointwise,
                signedOutput, pairsFitMaddubs, false);
    }

    public Int8ConvWorkload {
        if (groups <= 0 || inChannels % groups != 0 || outChannels % groups != 0) {
            throw new IllegalArgumentException("channels not divisible by groups");
        }
        if (kernelH <= 0 || kernelW <= 0 || strideH <= 0 || strideW <= 0 || dilationH <= 0 || dilationW <= 0) {
            throw new IllegalArgumentException("kernel sizes, strides and dilations must be positive");
        }
        if (pointwise && (kernelH != 1 || kernelW != 1 || strideH != 1 || strideW != 1)) {
            throw new IllegalArgumentException("pointwise means 1x1, stride 1, unpadded");
        }
    }

    /**
     * The workload of a convolution with these weights ({@code [outChannels][inChannels/groups][kernelH][kernelW]},
     * s8 values), with {@code pairsFitMaddubs} computed from them by {@link Int8ConvTemplate#pairsFitMaddubs}.
     */
    public static Int8ConvWorkload forWeights(int inChannels, int outChannels, int groups, int kernelH, int kernelW,
            int strideH, int strideW, int dilationH, int dilationW, boolean pointwise, boolean signedOutput,
            byte[] weights) {
        Int8ConvWorkload shape = new Int8ConvWorkload(inChannels, outChannels, groups, kernelH, kernelW, strideH,
                strideW, dilationH, dilationW, pointwise, signedOutput, false);
        return shape.withPairsFitMaddubs(Int8ConvTemplate.pairsFitMaddubs(shape, weights));
    }

    Int8ConvWorkload withPairsFitMaddubs(boolean fit) {
        return new Int8ConvWorkload(inChannels, outChannels, groups, kernelH, kernelW, strideH, strideW, dilationH,
                dilationW, pointwise, signedOutput, fit, residual);
    }

    /** This workload with the fused residual add stage (or without it). */
    public Int8ConvWorkload withResidual(boolean fused) {
        return new Int8ConvWorkload(inChannels, outChannels, groups, kernelH, kernelW, strideH, strideW, dilationH,
                dilationW, pointwise, signedOutput, pairsFitMaddubs, fused);
    }

    public int inPerGroup() {
        return inChannels / groups;
    }

    public int outPerGroup() {
        return outChannels / groups;
    }

    /** Groups of 4 input channels per convolution group (the last one zero-padded). */
    public int quads() {
        return (inPerGroup() + 3) / 4;
    }

    /** The packed reduction length of one output, in groups of 4 steps: quads × kernel positions. */
    int reductionGroups() {
        return quads() * kernelH * kernelW;
    }

    /** Number of weights of the unpacked tensor. */
    public int weightCount() {
        return outChannels * inPerGroup() * kernelH * kernelW;
    }

    /** Stable text for tuning-log keys. */
    public String key() {
        return "conv2d_u8s8" + (signedOutput ? "s8" : "u8") + "[c" + inChannels + ">" + outChannels + ",g" + groups
                + ",k" + kernelH + "x" + kernelW + ",s" + strideH + "x" + strideW + ",d" + dilationH + "x"
                + dilationW + (pointwise ? ",pw" : "") + (pairsFitMaddubs ? ",pairs128" : "")
                + (residual ? ",res" : "") + "]";
    }
}
