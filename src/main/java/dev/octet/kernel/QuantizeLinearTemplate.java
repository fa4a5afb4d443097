package dev.octet.kernel;

import static dev.octet.kernel.loop.Expr.of;

import dev.octet.ir.op.quant.QuantMath;
import dev.octet.kernel.loop.Buffer;
import dev.octet.kernel.loop.Expr;
import dev.octet.kernel.loop.LoopKernel;
import dev.octet.kernel.loop.ScalarType;
import dev.octet.kernel.loop.Var;
import java.util.List;

/**
 * ONNX QuantizeLinear per tensor, fp32 to u8 or s8, exact to {@link QuantMath#quantize}:
 * {@code y = saturate(rne(x / scale) + zp)} with the division in fp32, NaN to the zero point and ±inf to the type's
 * bounds (the kernel takes the clamp range [lo, hi], the type's, as arguments). Blocks of consecutive elements, one
 * per work item; {@code octet_qelt.h} does 8 elements per AVX2 step.
 *
 * <p>Knobs (every value valid): {@code block} elements per work item; {@code unroll} vector steps per iteration.
 *
 * <p>Kernel parameters: buffers {@code x (f32), s (f32: the scale), y (u8 or s8)}; scalars {@code T, ZY, LO, HI}
 * ({@link #scalars}); the parallel range is {@link Int8AddTemplate#parallelRange}.
 */
public final class QuantizeLinearTemplate {
    public static final String NAME = "quantize_linear";

    private QuantizeLinearTemplate() {
    }

    public static KnobSpace knobs(boolean signedOutput) {
        return ElementBlocks.knobs(NAME);
    }

    /** The kernel's scalar arguments: the element count, the zero point and the output type's range. */
    public static long[] scalars(long total, int zeroPoint, boolean signedOutput) {
        return new long[] {total, zeroPoint, signedOutput ? -128 : 0, signedOutput ? 127 : 255};
    }

    public static LoopKernel build(boolean signedOutput, Config c, String name) {
        Buffer x = Buffer.input("x", ScalarType.F32);
        Buffer s = Buffer.input("s", ScalarType.F32);
        Buffer y = Buffer.output("y", Int8AddTemplate.type(signedOutput));
        Var zy = Var.i64("ZY");
        Var lo = Var.i64("LO");
        Var hi = Var.i64("HI");
        return ElementBlocks.build(name, c, List.of(x, s, y), List.of(zy, lo, hi), "octet_quantize", List.of(x, y),
                List.of(s.load(of(0)), zy, lo, hi, Int8AddTemplate.flag(signedOutput)));
    }
}
