package dev.octet.kernel;

/**
 * The checks every int8 convolution template's {@code pack} makes on its arguments before packing (GEMM, depthwise,
 * direct, Winograd): one place for them, so each template refuses bad weights, bias, multipliers and input zero
 * points with the same message, and a template cannot forget one.
 */
final class Int8PackArguments {
    private Int8PackArguments() {
    }

    /**
     * @param weightCount the number of s8 weights of the workload's unpacked tensor
     * @param channels the number of output channels (one bias value, when there is a bias, and one multiplier each)
     * @throws IllegalArgumentException on sizes that do not match, a non-finite multiplier or an input zero point
     *     outside u8
     */
    static void check(int weightCount, byte[] weights, int channels, int[] bias, float[] multiplier,
            int inputZeroPoint) {
        if (weights.length != weightCount) {
            throw new IllegalArgumentException("expected " + weightCount + " weights, got " + weights.length);
        }
        if (bias != null && bias.length != channels || multiplier.length != channels) {
            throw new IllegalArgumentException("expected " + channels + " bias values and multipliers");
        }
        if (inputZeroPoint < 0 || inputZeroPoint > 255) {
            throw new IllegalArgumentException("u8 input zero point " + inputZeroPoint);
        }
        for (int c = 0; c < channels; c++) {
            if (!Float.isFinite(multiplier[c])) {
                throw new IllegalArgumentException("multiplier of channel " + c + " is " + multiplier[c]);
            }
        }
    }
}
