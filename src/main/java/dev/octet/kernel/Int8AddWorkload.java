package dev.octet.kernel;

/**
 * An int8 elementwise Add of two quantized tensors of equal shape, requantized to the output's scale and zero point
 * ({@code QuantMath.addRequantize}), as kernels are specialised on it: the signedness of each input and of the
 * output. Sizes, zero points, multipliers and the clamp range are run-time arguments.
 */
public record Int8AddWorkload(boolean signedA, boolean signedB, boolean signedOutput) {
    /** Stable text for tuning-log keys. */
    public String key() {
        return "add_q" + type(signedA) + type(signedB) + type(signedOutput);
    }

    private static String type(boolean signed) {
        return signed ? "s8" : "u8";
    }
}
