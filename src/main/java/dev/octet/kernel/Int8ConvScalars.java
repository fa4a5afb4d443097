package dev.octet.kernel;

import dev.octet.kernel.loop.Var;
import java.util.List;

/**
 * The run-time scalars every int8 convolution kernel takes, in one order: input size H×W, output size OH×OW, the
 * top/left pads, the input and output zero points, and the clamp range [LO, HI]. The GEMM, depthwise, direct and
 * Winograd templates share one ABI (the step and the tuner pass the same buffers and scalars to whichever was
 * chosen), so the names and their order are declared here once rather than in each template.
 */
record Int8ConvScalars(Var h, Var wd, Var oh, Var ow, Var pt, Var pl, Var zx, Var zy, Var lo, Var hi) {
    /** The scalars as kernel parameters: {@code H, W, OH, OW, PT, PL, ZX, ZY, LO, HI}. */
    public static Int8ConvScalars declare() {
        return new Int8ConvScalars(Var.i64("H"), Var.i64("W"), Var.i64("OH"), Var.i64("OW"), Var.i64("PT"),
                Var.i64("PL"), Var.i64("ZX"), Var.i64("ZY"), Var.i64("LO"), Var.i64("HI"));
    }

    /** In the kernel's parameter order. */
    public List<Var> all() {
        return List.of(h, wd, oh, ow, pt, pl, zx, zy, lo, hi);
    }

    /**
     * The values of one run, in the kernel's parameter order: sizes and top/left pads, the zero points, and the
     * clamp range [lo, hi] (the output type's, or narrower for a fused ReLU/Clip).
     */
    public static long[] values(int h, int w, int oh, int ow, int pt, int pl, int inputZeroPoint, int outputZeroPoint,
            int lo, int hi) {
        return new long[] {h, w, oh, ow, pt, pl, inputZeroPoint, outputZeroPoint, lo, hi};
    }
}
