package dev.octet.kernel;

import static dev.octet.kernel.loop.Expr.of;

import dev.octet.kernel.loop.Buffer;
import dev.octet.kernel.loop.Expr;
import dev.octet.kernel.loop.LoopKernel;
import dev.octet.kernel.loop.ScalarType;
import dev.octet.kernel.loop.Stmt;
import dev.octet.kernel.loop.Var;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The loop nest every window pooling template walks (fp32 max and average in {@link PoolTemplate}, int8 max in
 * {@link Int8MaxPoolTemplate}): one NCHW plane per work item, each output row set to an initial value, then for
 * each in-bounds tap row and each tap the range of output columns whose input lies inside the image computed once,
 * so the inner loop has no bounds checks and vectorizes ({@link #body}). Max pools default to {@link #rowWiseBody}:
 * the per-tap walk read and wrote each output row kH·kW times, with a strided load per tap (ResNet-50's 3×3/2 pool
 * spent ~1.2 ms there); folding the interior's taps in a register stores once. Written once so the bounds
 * arithmetic has one place; the templates supply only the initial value, how a tap combines, and what follows.
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
        List<Stmt> row = new ArrayList<>(rowStart());
        row.add(perTap(in, out, inner, initial, combine, of(0), ow));
        row.addAll(afterTaps);
        return planes(row);
    }

    /**
     * The row-wise kernel body over [BEGIN, END) planes, for windows that only select (max): on rows whose window
     * lies inside the image vertically, the output columns whose window lies inside horizontally (the interior)
     * fold all kH·kW taps into one running value m held in a register and store it once, in one bounds-free loop
     * (contiguous loads for stride 1, strided ones the C compiler vectorizes for strides 2 and 3); the border
     * columns of those rows fold their in-bounds taps one column at a time, and the border rows take the per-tap
     * walk of {@link #body}. Taps fold in the same (kh, kw) order as there and the first tap is taken as is (it is
     * what folding it into the initial value gives, bit for bit), so the results match.
     *
     * @param first the statement setting m to the first tap's input (the argument)
     * @param fold the statements folding the i-th tap's input (second argument) into m
     * @param fastFold a cheaper fold equal to {@code fold} on rows without NaN (fp32: a plain vmaxps, which keeps
     *     the first of equal values but drops a NaN tap), used where the row's input rows hold no NaN, checked
     *     once per row; null where {@code fold} is already the cheapest (integers)
     * @param rowKernel given the window's input rows (each the index of its column 0) and the output row's index, a
     *     call computing the whole output row that returns 0 where its result stands, else (a NaN) the row is
     *     computed as without it; null for none
     */
    Stmt rowWiseBody(Buffer in, Buffer out, Stmt.Kind inner, Expr initial, Function<Expr, Stmt> combine,
            Var m, Function<Expr, Stmt> first, BiFunction<Integer, Expr, Stmt> fold,
            BiFunction<Integer, Expr, Stmt> fastFold, BiFunction<List<Expr>, Expr, Expr> rowKernel) {
        Var xlo = Var.i64("xlo");
        Var xhi = Var.i64("xhi");
        Var right = Var.i64("right");
        int s = w.strideW();
        int spanH = (w.kernelH() - 1) * w.dilationH();
        int spanW = (w.kernelW() - 1) * w.dilationW();
        List<Stmt> rowStarts = new ArrayList<>();
        List<Stmt> interior = new ArrayList<>();
        // Interior columns: x*s - PL >= 0 and x*s - PL + spanW <= W - 1 (PL >= 0, so both divisions floor).
        interior.add(new Stmt.Declare(xlo, Expr.min(ow, pl.plus(s - 1).div(of(s)))));
        interior.add(new Stmt.Declare(right, wd.minus(of(1 + spanW)).plus(pl)));
        interior.add(new Stmt.Declare(xhi, Expr.max(xlo, new Expr.Select(right.lt(of(0)), of(0),
                Expr.min(ow, right.div(of(s)).plus(1))))));
        List<Var> rows = new ArrayList<>();
        for (int kh = 0; kh < w.kernelH(); kh++) {
            Var r = Var.i64("r" + kh);
            rows.add(r);
            rowStarts.add(new Stmt.Declare(r, idx.times(h).plus(hs).plus(of((long) kh * w.dilationH())).times(wd)
                    .minus(pl)));
        }
        interior.add(borderColumns(in, out, initial, m, fold, rows, of(0), xlo));
        if (fastFold == null) {
            interior.add(interiorColumns(in, out, m, first, fold, rows, xlo, xhi));
        } else {
            Var nan = new Var("nan", ScalarType.I32);
            Var c = Var.i64("c");
            interior.add(new Stmt.Declare(nan, of(0)));
            for (Var r : rows) {
                Expr v = in.load(r.plus(pl).plus(c));
                interior.add(new Stmt.For(c, of(0), wd, 1, Stmt.Kind.VECTORIZED,
                        new Stmt.Assign(nan, Expr.max(nan, new Expr.Cast(ScalarType.I32, new Expr.Bin(Expr.Op.NE, v,
                                v))))));
            }
            interior.add(new Stmt.If(new Expr.Bin(Expr.Op.EQ, nan, of(0)),
                    interiorColumns(in, out, m, first, fastFold, rows, xlo, xhi),
                    interiorColumns(in, out, m, first, fold, rows, xlo, xhi)));
        }
        interior.add(borderColumns(in, out, initial, m, fold, rows, xhi, ow));
        Expr inside = new Expr.Bin(Expr.Op.AND, new Expr.Bin(Expr.Op.LE, of(0), hs), hs.plus(of(spanH)).lt(h));
        Stmt insideRow;
        if (rowKernel == null) {
            insideRow = Stmt.seq(new Stmt.Seq(rowStarts), new Stmt.Seq(interior));
        } else {
            List<Expr> starts = rows.stream().map(r -> (Expr) r.plus(pl)).toList();
            Expr call = rowKernel.apply(starts, orow);
            insideRow = Stmt.seq(new Stmt.Seq(rowStarts),
                    new Stmt.If(new Expr.Bin(Expr.Op.NE, call, of(0)), new Stmt.Seq(interior), null));
        }
        List<Stmt> row = new ArrayList<>(rowStart());
        row.add(new Stmt.If(inside, insideRow, perTap(in, out, inner, initial, combine, of(0), ow)));
        return planes(row);
    }

    /** The bounds-free loop over the interior columns [xlo, xhi) of an interior row, every tap in a register. */
    private Stmt interiorColumns(Buffer in, Buffer out, Var m, Function<Expr, Stmt> first,
            BiFunction<Integer, Expr, Stmt> fold, List<Var> rows, Var xlo, Var xhi) {
        List<Stmt> taps = new ArrayList<>();
        int i = 0;
        for (int kh = 0; kh < w.kernelH(); kh++) {
            for (int kw = 0; kw < w.kernelW(); kw++, i++) {
                Expr input = in.load(rows.get(kh).plus(x.times(w.strideW())).plus(of((long) kw * w.dilationW())));
                taps.add(i == 0 ? first.apply(input) : fold.apply(i, input));
            }
        }
        taps.add(out.store(at, m));
        return new Stmt.For(x, xlo, xhi, 1, Stmt.Kind.VECTORIZED, new Stmt.Seq(taps));
    }

    /**
     * Output columns [c0, c1) of an interior row, one at a time: m starts at the initial value and folds every tap
     * whose column lies inside the image, in (kh, kw) order (a few columns per row: cheaper than a per-tap walk).
     */
    private Stmt borderColumns(Buffer in, Buffer out, Expr initial, Var m,
            BiFunction<Integer, Expr, Stmt> fold, List<Var> rows, Expr c0, Expr c1) {
        List<Stmt> taps = new ArrayList<>();
        taps.add(new Stmt.Declare(m, initial));
        int i = 0;
        for (int kh = 0; kh < w.kernelH(); kh++) {
            for (int kw = 0; kw < w.kernelW(); kw++, i++) {
                Expr col = x.times(w.strideW()).plus(of((long) kw * w.dilationW())).minus(pl);
                Expr inside = new Expr.Bin(Expr.Op.AND, new Expr.Bin(Expr.Op.LE, of(0), col), col.lt(wd));
                Expr input = in.load(rows.get(kh).plus(x.times(w.strideW())).plus(of((long) kw * w.dilationW())));
                taps.add(new Stmt.If(inside, fold.apply(i, input), null));
            }
        }
        taps.add(out.store(at, m));
        return new Stmt.For(x, c0, c1, 1, Stmt.Kind.SERIAL, new Stmt.Seq(taps));
    }

    private List<Stmt> rowStart() {
        return List.of(
                new Stmt.Declare(orow, idx.times(oh).plus(y).times(ow)),
                new Stmt.Declare(hs, y.times(w.strideH()).minus(pt)));
    }

    private Stmt planes(List<Stmt> row) {
        return new Stmt.For(idx, LoopKernel.BEGIN, LoopKernel.END, 1, Stmt.Kind.SERIAL,
                Stmt.loop(y, of(0), oh, new Stmt.Seq(row)));
    }

    /** The per-tap walk over output columns [c0, c1) of the current row: initial values, then tap by tap. */
    private Stmt perTap(Buffer in, Buffer out, Stmt.Kind inner, Expr initial, Function<Expr, Stmt> combine, Expr c0,
            Expr c1) {
        Var kh = Var.i64("kh");
        Var kw = Var.i64("kw");
        Var ih = Var.i64("ih");
        Var lo = Var.i64("lo");
        Var hi = Var.i64("hi");
        Var last = Var.i64("last");
        int s = w.strideW();
        Stmt tap = Stmt.seq(
                new Stmt.Declare(off, kw.times(w.dilationW()).minus(pl)),
                // Output columns x in [c0, c1) with 0 <= x*s + off < W.
                new Stmt.Declare(lo, Expr.max(c0, Expr.max(of(0), of(s - 1).minus(off).div(of(s))))),
                new Stmt.Declare(last, wd.minus(of(1)).minus(off)),
                new Stmt.Declare(hi, new Expr.Select(last.lt(of(0)), of(0), Expr.min(c1,
                        last.div(of(s)).plus(1)))),
                new Stmt.For(x, lo, hi, 1, inner, combine.apply(tapInput(in))));
        Stmt taps = Stmt.loop(kh, w.kernelH(), Stmt.seq(
                new Stmt.Declare(ih, hs.plus(kh.times(w.dilationH()))),
                new Stmt.If(new Expr.Bin(Expr.Op.AND, new Expr.Bin(Expr.Op.LE, of(0), ih), ih.lt(h)), Stmt.seq(
                        new Stmt.Declare(irow, idx.times(h).plus(ih).times(wd)),
                        Stmt.loop(kw, w.kernelW(), tap)), null)));
        return Stmt.seq(new Stmt.For(x, c0, c1, 1, Stmt.Kind.VECTORIZED, out.store(at, initial)), taps);
    }
}
