package dev.octet.kernel;

/**
 * A 2-D convolution as kernels are specialised on it: channel counts, kernel size, strides, dilations, groups and
 * the fused epilogue are fixed; batch, spatial sizes and pads are run-time arguments, so one kernel serves every
 * input size (PP-OCR's text-line width changes with each input).
 */
public record ConvWorkload(int inChannels, int outChannels, int groups, int kernelH, int kernelW, int strideH,
        int strideW, int dilationH, int dilationW, boolean pointwise, Epilogue epilogue) implements ConvShape {
    public ConvWorkload {
        if (inChannels % groups != 0 || outChannels % groups != 0) {
            throw new IllegalArgumentException("channels not divisible by groups");
        }
    }

    public int inPerGroup() {
        return inChannels / groups;
    }

    public int outPerGroup() {
        return outChannels / groups;
    }

    /** The reduction length of one output value. */
    public int reduction() {
        return inPerGroup() * kernelH * kernelW;
    }

    public boolean isDepthwise() {
        return groups == inChannels && groups == outChannels;
    }

    /** Stable text for tuning-log keys. */
    public String key() {
        return "conv2d_f32[c" + inChannels + ">" + outChannels + ",g" + groups + ",k" + kernelH + "x" + kernelW
                + ",s" + strideH + "x" + strideW + ",d" + dilationH + "x" + dilationW + (pointwise ? ",pw" : "")
                + "," + epilogue + "]";
    }
}
