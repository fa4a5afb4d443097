package dev.octet.kernel;

import dev.octet.kernel.loop.Var;
import java.util.List;

/**
 * The run-time scalars every fp32 and fp16 convolution kernel takes, in one order: input size H×W, output size
 * OH×OW and the top/left pads. The GEMM, Winograd, depthwise and fp16 templates share this ABI (the step and the
 * tuner pass the same scalars to whichever was chosen), so the names and their order are declared here once; the
 * int8 templates add zero points and a clamp range ({@link Int8ConvScalars}).
 */
record ConvScalars(Var h, Var wd, Var oh, Var ow, Var pt, Var pl) {
    /** The scalars as kernel parameters: {@code H, W, OH, OW, PT, PL}. */
    static ConvScalars declare() {
        return new ConvScalars(Var.i64("H"), Var.i64("W"), Var.i64("OH"), Var.i64("OW"), Var.i64("PT"),
                Var.i64("PL"));
    }

    /** In the kernel's parameter order. */
    List<Var> all() {
        return List.of(h, wd, oh, ow, pt, pl);
    }
}
