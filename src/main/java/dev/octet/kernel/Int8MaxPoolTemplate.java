package dev.octet.kernel;

import static dev.octet.kernel.loop.Expr.of;

import dev.octet.kernel.loop.Buffer;
import dev.octet.kernel.loop.Expr;
import dev.octet.kernel.loop.LoopKernel;
import dev.octet.kernel.loop.ScalarType;
import dev.octet.kernel.loop.Stmt;
import dev.octet.kernel.loop.Var;
import java.util.List;
import java.util.function.Function;

/**
 * 2-D max pooling on u8 or s8 tensors, NCHW, one plane per work item: exact on the integers (the input and output
 * share one scale and zero point, QDQ_FORM.md), so a quantized MaxPool never leaves int8. Each output row starts at
 * the type's minimum and takes the maximum with every in-bounds tap; as in the fp32 {@link PoolTemplate}, the range
 * of output columns whose input lies inside the image is computed once per tap, so the inner loop has no bounds
 * checks and vectorizes (vpmaxub / vpmaxsb). Padding is ignored; every window touches the input (the reference
 * refuses the others), so no output keeps the initial minimum unless the input holds it.
 *
 * <p>Valid for {@link PoolWorkload.Kind#MAX} windows. Knobs: {@code rows} 1 = row-wise (the image's interior folds
 * every tap in a register and stores once, the border walks tap by tap: the default), 0 = tap by tap everywhere;
 * {@code inner} 0 = vectorized per-tap loop, 1 = unrolled.
 *
 * <p>Kernel parameters: buffers {@code in, out} (u8 or s8); scalars {@code H, W, OH, OW, PT, PL}; the parallel
 * range is {@code batch × channels}.
 */
public final class Int8MaxPoolTemplate {
    public static final String NAME = "maxpool_int8";

    private Int8MaxPoolTemplate() {
    }

    static boolean isValid(PoolWorkload w) {
        return w.kind() == PoolWorkload.Kind.MAX;
    }

    public static KnobSpace knobs(PoolWorkload w) {
        return new KnobSpace(NAME, List.of(Knob.of("rows", 1, 0), Knob.of("inner", 0, 1)));
    }

    /** Stable text for tuning-log keys: the window and the element type. */
    public static String key(PoolWorkload w, boolean signed) {
        return w.key().replace("pool2d_f32", signed ? "pool2d_s8" : "pool2d_u8");
    }

    public static LoopKernel build(PoolWorkload w, boolean signed, Config c, String name) {
        if (!isValid(w)) {
            throw new IllegalArgumentException(NAME + " is not valid for " + w.key());
        }
        ScalarType type = signed ? ScalarType.I8 : ScalarType.U8;
        Buffer in = Buffer.input("in", type);
        Buffer out = Buffer.output("out", type);
        PoolWindowNest n = new PoolWindowNest(w);
        Stmt.Kind inner = c.get("inner") == 0 ? Stmt.Kind.VECTORIZED : Stmt.Kind.UNROLLED;
        Expr initial = of(signed ? -128 : 0);
        Function<Expr, Stmt> combine = v -> out.store(n.at, Expr.max(out.load(n.at), v));
        Var m = new Var("m", type);
        Stmt body = c.get("rows") == 1
                ? n.rowWiseBody(in, out, inner, initial, combine, m, v -> new Stmt.Declare(m, v),
                        (i, v) -> new Stmt.Assign(m, Expr.max(m, v)), null, null)
                : n.body(in, out, inner, initial, combine, List.of());
        return new LoopKernel(name, List.of(in, out), List.of(n.h, n.wd, n.oh, n.ow, n.pt, n.pl), body);
    }
}
