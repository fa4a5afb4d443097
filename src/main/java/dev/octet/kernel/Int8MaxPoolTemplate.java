package dev.octet.kernel;

import static dev.octet.kernel.loop.Expr.of;

import dev.octet.kernel.loop.Buffer;
import dev.octet.kernel.loop.Expr;
import dev.octet.kernel.loop.LoopKernel;
import dev.octet.kernel.loop.ScalarType;
import dev.octet.kernel.loop.Stmt;
import dev.octet.kernel.loop.Var;
import java.util.List;

/**
 * 2-D max pooling on u8 or s8 tensors, NCHW, one plane per work item: exact on the integers (the input and output
 * share one scale and zero point, QDQ_FORM.md), so a quantized MaxPool never leaves int8. Each output row starts at
 * the type's minimum and takes the maximum with every in-bounds tap; as in the fp32 {@link PoolTemplate}, the range
 * of output columns whose input lies inside the image is computed once per tap, so the inner loop has no bounds
 * checks and vectorizes (vpmaxub / vpmaxsb). Padding is ignored; every window touches the input (the reference
 * refuses the others), so no output keeps the initial minimum unless the input holds it.
 *
 * <p>Valid for {@link PoolWorkload.Kind#MAX} windows. Knobs: {@code inner} 0 = vectorized inner loop, 1 = unrolled.
 *
 * <p>Kernel parameters: buffers {@code in, out} (u8 or s8); scalars {@code H, W, OH, OW, PT, PL}; the parallel
 * range is {@code batch × channels}.
 */
public final class Int8MaxPoolTemplate {
    public static final String NAME = "maxpool_int8";

    private Int8MaxPoolTemplate() {
    }

    public static boolean isValid(PoolWorkload w) {
        return w.kind() == PoolWorkload.Kind.MAX;
    }

    public static KnobSpace knobs(PoolWorkload w) {
        return new KnobSpace(NAME, List.of(Knob.of("inner", 0, 1)));
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
        Var h = Var.i64("H");
        Var wd = Var.i64("W");
        Var oh = Var.i64("OH");
        Var ow = Var.i64("OW");
        Var pt = Var.i64("PT");
        Var pl = Var.i64("PL");
        Var idx = Var.i64("idx");
        Var y = Var.i64("y");
        Var x = Var.i64("x");
        Var orow = Var.i64("orow");
        Var hs = Var.i64("hs");
        Var kh = Var.i64("kh");
        Var kw = Var.i64("kw");
        Var ih = Var.i64("ih");
        Var irow = Var.i64("irow");
        Var off = Var.i64("off");
        Var lo = Var.i64("lo");
        Var hi = Var.i64("hi");
        Var last = Var.i64("last");
        Stmt.Kind inner = c.get("inner") == 0 ? Stmt.Kind.VECTORIZED : Stmt.Kind.UNROLLED;
        int s = w.strideW();
        Expr at = orow.plus(x);
        Stmt tap = Stmt.seq(
                new Stmt.Declare(off, kw.times(w.dilationW()).minus(pl)),
                // Output columns x with 0 <= x*s + off < W.
                new Stmt.Declare(lo, Expr.max(of(0), of(s - 1).minus(off).div(of(s)))),
                new Stmt.Declare(last, wd.minus(of(1)).minus(off)),
                new Stmt.Declare(hi, new Expr.Select(last.lt(of(0)), of(0), Expr.min(ow, last.div(of(s)).plus(1)))),
                new Stmt.For(x, lo, hi, 1, inner, out.store(at,
                        Expr.max(out.load(at), in.load(irow.plus(x.times(s)).plus(off))))));
        Stmt taps = Stmt.loop(kh, w.kernelH(), Stmt.seq(
                new Stmt.Declare(ih, hs.plus(kh.times(w.dilationH()))),
                new Stmt.If(new Expr.Bin(Expr.Op.AND, new Expr.Bin(Expr.Op.LE, of(0), ih), ih.lt(h)), Stmt.seq(
                        new Stmt.Declare(irow, idx.times(h).plus(ih).times(wd)),
                        Stmt.loop(kw, w.kernelW(), tap)), null)));
        Stmt row = Stmt.seq(
                new Stmt.Declare(orow, idx.times(oh).plus(y).times(ow)),
                new Stmt.Declare(hs, y.times(w.strideH()).minus(pt)),
                new Stmt.For(x, of(0), ow, 1, Stmt.Kind.VECTORIZED, out.store(at, of(signed ? -128 : 0))),
                taps);
        Stmt body = new Stmt.For(idx, LoopKernel.BEGIN, LoopKernel.END, 1, Stmt.Kind.SERIAL,
                Stmt.loop(y, of(0), oh, row));
        return new LoopKernel(name, List.of(in, out), List.of(h, wd, oh, ow, pt, pl), body);
    }
}
