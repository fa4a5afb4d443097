package dev.octet.kernel;

import static dev.octet.kernel.loop.Expr.of;

import dev.octet.kernel.loop.Buffer;
import dev.octet.kernel.loop.Expr;
import dev.octet.kernel.loop.LoopKernel;
import dev.octet.kernel.loop.Stmt;
import dev.octet.kernel.loop.Var;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The loop nest every window pooling template walks (fp32 max and average in {@link PoolTemplate}, int8 max in
 * {@link Int8MaxPoolTemplate}): one NCHW plane per work item, each output row set to an initial value, then for
 * each in-bounds tap row and each tap the range of output columns whose input lies inside the image computed once,
 * so the inner loop has no bounds checks and vectorizes. Written once so the bounds arithmetic has one place; the
 * templates supply only the initial value, how a tap combines, and what follows the taps.
 */
final class PoolWindowNest {
    final Var h = Var.i64("H");
    final Var wd = Var.i64("W");
    final Var oh = Var.i64("OH");
    final Var ow = Var.i64("OW");
    final Var pt = Var.i64("PT");
    final Var pl = Var.i64("PL");
    /** The output column. */
    final Var x = Var.i64("x");
    /** The first input row of the current output row's window (may be negative: padding). */
    final Var hs = Var.i64("hs");
    /** The output element at column x of the current row. */
    final Expr at;
    private final PoolWorkload w;
    private final Var idx = Var.i64("idx");
    private final Var y = Var.i64("y");
    private final Var orow = Var.i64("orow");
    private final Var irow = Var.i64("irow");
    private final Var off = Var.i64("off");

    PoolWindowNest(PoolWorkload w) {
        this.w = w;
        this.at = orow.plus(x);
    }

    /** The input element under output column x at the current tap. */
    private Expr tapInput(Buffer in) {
        return in.load(irow.plus(x.times(w.strideW())).plus(off));
    }

    /**
     * The kernel body over [BEGIN, END) planes.
     *
     * @param inner how the bounds-free loop over output columns is printed (the {@code inner} knob)
     * @param initial the value each output starts at
     * @param combine the statement folding one tap's input (the argument) into {@link #at}
     * @param afterTaps statements run per output row once all its taps are combined
     */
    Stmt body(Buffer in, Buffer out, Stmt.Kind inner, Expr initial, Function<Expr, Stmt> combine,
            List<Stmt> afterTaps) {
        Var kh = Var.i64("kh");
        Var kw = Var.i64("kw");
        Var ih = Var.i64("ih");
        Var lo = Var.i64("lo");
        Var hi = Var.i64("hi");
        Var last = Var.i64("last");
        int s = w.strideW();
        Stmt tap = Stmt.seq(
                new Stmt.Declare(off, kw.times(w.dilationW()).minus(pl)),
                // Output columns x with 0 <= x*s + off < W.
                new Stmt.Declare(lo, Expr.max(of(0), of(s - 1).minus(off).div(of(s)))),
                new Stmt.Declare(last, wd.minus(of(1)).minus(off)),
                new Stmt.Declare(hi, new Expr.Select(last.lt(of(0)), of(0), Expr.min(ow, last.div(of(s)).plus(1)))),
                new Stmt.For(x, lo, hi, 1, inner, combine.apply(tapInput(in))));
        Stmt taps = Stmt.loop(kh, w.kernelH(), Stmt.seq(
                new Stmt.Declare(ih, hs.plus(kh.times(w.dilationH()))),
                new Stmt.If(new Expr.Bin(Expr.Op.AND, new Expr.Bin(Expr.Op.LE, of(0), ih), ih.lt(h)), Stmt.seq(
                        new Stmt.Declare(irow, idx.times(h).plus(ih).times(wd)),
                        Stmt.loop(kw, w.kernelW(), tap)), null)));
        List<Stmt> row = new ArrayList<>(List.of(
                new Stmt.Declare(orow, idx.times(oh).plus(y).times(ow)),
                new Stmt.Declare(hs, y.times(w.strideH()).minus(pt)),
                new Stmt.For(x, of(0), ow, 1, Stmt.Kind.VECTORIZED, out.store(at, initial)),
                taps));
        row.addAll(afterTaps);
        return new Stmt.For(idx, LoopKernel.BEGIN, LoopKernel.END, 1, Stmt.Kind.SERIAL,
                Stmt.loop(y, of(0), oh, new Stmt.Seq(row)));
    }
}
