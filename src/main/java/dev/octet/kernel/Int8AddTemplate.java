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
 * The int8 Add of two quantized tensors of equal shape (residual adds), exact to {@link QuantMath#addRequantize}:
 * {@code y = clamp(rne((float) (q_a − zp_a) · M_a + (float) (q_b − zp_b) · M_b) + zp_y, lo, hi)}, each product and
 * the sum in plain fp32, M_a = s_a / s_y and M_b = s_b / s_y ({@link QuantMath#addMultiplier}); a fused ReLU is
 * lo = zp_y. The tensors are cut into blocks of consecutive elements, one per work item; {@code octet_qelt.h} does
 * 8 elements per AVX2 step.
 *
 * <p>Knobs (every value valid): {@code block} elements per work item; {@code unroll} vector steps per iteration.
 *
 * <p>Kernel parameters: buffers {@code a, b (u8 or s8), m (f32: M_a, M_b), y (u8 or s8)}; scalars
 * {@code T, ZA, ZB, ZY, LO, HI} ({@link #scalars}); the parallel range is {@link #parallelRange}.
 */
public final class Int8AddTemplate {
    public static final String NAME = "add_int8";

    private Int8AddTemplate() {
    }

    public static KnobSpace knobs(Int8AddWorkload w) {
        return ElementBlocks.knobs(NAME);
    }

    /**
     * The multiplier buffer M_a, M_b for input scales s_a, s_b and output scale s_y.
     *
     * @throws IllegalArgumentException where a multiplier is not finite
     */
    public static float[] multipliers(float scaleA, float scaleB, float scaleY) {
        float[] m = {QuantMath.addMultiplier(scaleA, scaleY), QuantMath.addMultiplier(scaleB, scaleY)};
        if (!Float.isFinite(m[0]) || !Float.isFinite(m[1])) {
            throw new IllegalArgumentException("add multipliers " + m[0] + ", " + m[1] + " are not finite");
        }
        return m;
    }

    /** Number of parallel work items for {@code total} elements. */
    public static long parallelRange(long total, Config c) {
        return ElementBlocks.parallelRange(total, c);
    }

    /** The kernel's scalar arguments: the element count, the three zero points and the clamp range [lo, hi]. */
    public static long[] scalars(long total, int zeroPointA, int zeroPointB, int zeroPointY, int lo, int hi) {
        return new long[] {total, zeroPointA, zeroPointB, zeroPointY, lo, hi};
    }

    public static LoopKernel build(Int8AddWorkload w, Config c, String name) {
        Buffer a = Buffer.input("a", type(w.signedA()));
        Buffer b = Buffer.input("b", type(w.signedB()));
        Buffer m = Buffer.input("m", ScalarType.F32);
        Buffer y = Buffer.output("y", type(w.signedOutput()));
        Var za = Var.i64("ZA");
        Var zb = Var.i64("ZB");
        Var zy = Var.i64("ZY");
        Var lo = Var.i64("LO");
        Var hi = Var.i64("HI");
        return ElementBlocks.build(name, c, List.of(a, b, m, y), List.of(za, zb, zy, lo, hi), "octet_qadd",
                List.of(a, b, y), List.of(m.load(of(0)), m.load(of(1)), za, zb, zy, lo, hi, flag(w.signedA()),
                        flag(w.signedB()), flag(w.signedOutput())));
    }

    static ScalarType type(boolean signed) {
        return signed ? ScalarType.I8 : ScalarType.U8;
    }

    static Expr flag(boolean b) {
        return of(b ? 1 : 0);
    }
}
