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
 * ONNX DequantizeLinear per tensor, u8 or s8 to fp32, exact to {@link QuantMath#dequantize}:
 * {@code y = (float) (q − zp) · scale}, one fp32 multiply. Blocks of consecutive elements, one per work item;
 * {@code octet_qelt.h} does 8 elements per AVX2 step.
 *
 * <p>Knobs (every value valid): {@code block} elements per work item; {@code unroll} vector steps per iteration.
 *
 * <p>Kernel parameters: buffers {@code q (u8 or s8), s (f32: the scale), y (f32)}; scalars {@code T, ZX}
 * ({@link #scalars}); the parallel range is {@link Int8AddTemplate#parallelRange}.
 */
public final class DequantizeLinearTemplate {
    public static final String NAME = "dequantize_linear";

    private DequantizeLinearTemplate() {
    }

    public static KnobSpace knobs(boolean signedInput) {
        return ElementBlocks.knobs(NAME);
    }

    /** The kernel's scalar arguments: the element count and the zero point. */
    public static long[] scalars(long total, int zeroPoint) {
        return new long[] {total, zeroPoint};
    }

    public static LoopKernel build(boolean signedInput, Config c, String name) {
        Buffer q = Buffer.input("q", Int8AddTemplate.type(signedInput));
        Buffer s = Buffer.input("s", ScalarType.F32);
        Buffer y = Buffer.output("y", ScalarType.F32);
        Var zx = Var.i64("ZX");
        return ElementBlocks.build(name, c, List.of(q, s, y), List.of(zx), "octet_dequantize", List.of(q, y),
                List.of(s.load(of(0)), zx, Int8AddTemplate.flag(signedInput)));
    }
}
