package dev.octet.kernel;

/**
 * A 2-D fp32 pooling as kernels are specialised on it: the kind, kernel size, strides, dilations and the divisor
 * rule are fixed; batch, channels, spatial sizes and pads are run-time arguments. Global pooling uses none of the
 * window fields (they are 1).
 */
public record PoolWorkload(Kind kind, int kernelH, int kernelW, int strideH, int strideW, int dilationH,
        int dilationW, boolean countIncludePad) {
    public enum Kind { MAX, AVERAGE, GLOBAL_AVERAGE }

    public PoolWorkload {
        if (kernelH < 1 || kernelW < 1 || strideH < 1 || strideW < 1 || dilationH < 1 || dilationW < 1) {
            throw new IllegalArgumentException("pool window sizes must be positive");
        }
    }

    public static PoolWorkload global(Kind kind) {
        return new PoolWorkload(kind, 1, 1, 1, 1, 1, 1, false);
    }

    boolean isGlobal() {
        return kind == Kind.GLOBAL_AVERAGE;
    }

    /** Stable text for tuning-log keys. */
    public String key() {
        if (isGlobal()) {
            return "pool2d_f32[" + kind.name().toLowerCase() + "]";
        }
        return "pool2d_f32[" + kind.name().toLowerCase() + ",k" + kernelH + "x" + kernelW + ",s" + strideH + "x"
                + strideW + ",d" + dilationH + "x" + dilationW + (countIncludePad ? ",incpad" : "") + "]";
    }
}
