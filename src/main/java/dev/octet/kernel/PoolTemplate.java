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
 * fp32 2-D pooling, NCHW, one plane per work item. MaxPool and AveragePool walk each output row tap by tap, as the
 * depthwise template does: for a tap (kh, kw) the range of output columns whose input lies inside the image is
 * computed once, so the inner loop has no bounds checks. MaxPool keeps the first of equal values and lets NaN win
 * (as the reference: bit-exact); AveragePool sums the taps in fp32 in (kh, kw) order and divides by the window's
 * element count, or with count_include_pad by its kernel positions inside the padded input. GlobalAveragePool sums
 * each plane in {@code lanes} interleaved fp32 partial sums (a vectorizable order), then divides by the plane size.
 *
 * <p>Valid for fp32 NCHW inputs whose every window touches the input (the reference refuses the others), with the
 * output sizes of the ONNX formula (ceil_mode included: the runtime passes OH and OW). Error: a sum of K = kH·kW (or
 * H·W) fp32 values in some order, then one rounding: within DESIGN.md's K·u·Σ|x| bound; MaxPool is exact.
 *
 * <p>Knobs: window pools {@code inner} 0 = vectorized inner loop, 1 = unrolled (the per-tap walk); MaxPool also
 * {@code rows} 1 = row-wise (the image's interior folds every tap in a register and stores once, with one vmaxps a
 * tap on rows whose input holds no NaN; the border as {@link PoolWindowNest#rowWiseBody} says: about 2× faster than
 * per-tap on ResNet-50's 3×3/2 pool), 0 = tap by tap everywhere, {@link #ROW_KERNEL} = row-wise with every row whose
 * window lies inside the image vertically made whole, borders included, by the AVX-512 micro-kernel of
 * octet_spool.h (3×3 windows at stride 2 only, {@link #hasRowKernel}; the default there: ResNet-50's pool 0.33 →
 * 0.15 ms in a C loop, as the compiler left each row's last columns scalar), a row with a NaN falling back to
 * rows = 1's fold; global pools {@code lanes}.
 *
 * <p>Kernel parameters: buffers {@code in, out}; scalars {@code H, W, OH, OW, PT, PL, PB, PR} (window pools) or
 * {@code P} (global pools, the plane size); the parallel range is {@code batch × channels}.
 */
public final class PoolTemplate {
    public static final String NAME = "pool";
    /** MaxPool's {@code rows} knob: whole rows by the AVX-512 micro-kernel of octet_spool.h. */
    public static final int ROW_KERNEL = 2;

    private PoolTemplate() {
    }

    public static KnobSpace knobs(PoolWorkload w) {
        return knobs(w, IsaLevel.defaultLevel());
    }

    /** The knobs at a level: MaxPool's {@code rows} starts with the row micro-kernel where it applies. */
    public static KnobSpace knobs(PoolWorkload w, IsaLevel level) {
        return w.isGlobal() ? new KnobSpace(NAME, List.of(Knob.of("lanes", 16, 8, 32)))
                : w.kind() == PoolWorkload.Kind.MAX
                        ? new KnobSpace(NAME, List.of(hasRowKernel(w, level) ? Knob.of("rows", ROW_KERNEL, 1, 0)
                                : Knob.of("rows", 1, 0), Knob.of("inner", 0, 1)))
                        : new KnobSpace(NAME, List.of(Knob.of("inner", 0, 1)));
    }

    /**
     * Whether {@code octet_spool_max3s2_row} (octet_spool.h) computes this pool's rows: a 3×3 window at stride 2 and
     * dilation 1 (ResNet's stem pool), on a level with AVX-512.
     */
    static boolean hasRowKernel(PoolWorkload w, IsaLevel level) {
        return level.hasAvx512() && w.kind() == PoolWorkload.Kind.MAX && w.kernelH() == 3 && w.kernelW() == 3
                && w.strideH() == 2 && w.strideW() == 2 && w.dilationH() == 1 && w.dilationW() == 1;
    }

    public static LoopKernel build(PoolWorkload w, Config c, String name) {
        return w.isGlobal() ? global(c, name) : window(w, c, name);
    }

    private static LoopKernel global(Config c, String name) {
        Buffer in = Buffer.input("in", ScalarType.F32);
        Buffer out = Buffer.output("out", ScalarType.F32);
        Buffer acc = Buffer.output("acc", ScalarType.F32);
        Var p = Var.i64("P");
        Var idx = Var.i64("idx");
        Var base = Var.i64("base");
        Var full = Var.i64("full");
        Var j = Var.i64("j");
        Var l = Var.i64("l");
        Var sum = new Var("sum", ScalarType.F32);
        int lanes = c.get("lanes");
        Stmt plane = Stmt.seq(
                new Stmt.Declare(base, idx.times(p)),
                new Stmt.For(l, of(0), of(lanes), 1, Stmt.Kind.VECTORIZED, acc.store(l, Expr.f32(0))),
                new Stmt.Declare(full, p.div(of(lanes)).times(lanes)),
                new Stmt.For(j, of(0), full, lanes, Stmt.Kind.SERIAL,
                        new Stmt.For(l, of(0), of(lanes), 1, Stmt.Kind.VECTORIZED,
                                acc.store(l, acc.load(l).plus(in.load(base.plus(j).plus(l)))))),
                new Stmt.Declare(sum, Expr.f32(0)),
                Stmt.loop(l, lanes, new Stmt.Assign(sum, sum.plus(acc.load(l)))),
                new Stmt.For(j, full, p, 1, Stmt.Kind.SERIAL, new Stmt.Assign(sum, sum.plus(in.load(base.plus(j))))),
                out.store(idx, sum.div(new Expr.Cast(ScalarType.F32, p))));
        Stmt body = new Stmt.LocalArray(acc, lanes,
                new Stmt.For(idx, LoopKernel.BEGIN, LoopKernel.END, 1, Stmt.Kind.SERIAL, plane));
        return new LoopKernel(name, List.of(in, out), List.of(p), body);
    }

    private static LoopKernel window(PoolWorkload w, Config c, String name) {
        Buffer in = Buffer.input("in", ScalarType.F32);
        Buffer out = Buffer.output("out", ScalarType.F32);
        PoolWindowNest n = new PoolWindowNest(w);
        Var pb = Var.i64("PB");
        Var pr = Var.i64("PR");
        Var v = new Var("v", ScalarType.F32);
        Var o = new Var("o", ScalarType.F32);
        boolean max = w.kind() == PoolWorkload.Kind.MAX;
        Stmt.Kind inner = c.get("inner") == 0 ? Stmt.Kind.VECTORIZED : Stmt.Kind.UNROLLED;
        Expr at = n.at;
        // A tap where the running value is o and the input v: the first of equal values stays, NaN wins.
        Function<Expr, Stmt> combine = max ? input -> Stmt.seq(new Stmt.Declare(v, input),
                new Stmt.Declare(o, out.load(at)),
                out.store(at, new Expr.Select(new Expr.Bin(Expr.Op.OR, new Expr.Bin(Expr.Op.LT, o, v),
                        new Expr.Bin(Expr.Op.NE, v, v)), v, o)))
                : input -> out.store(at, out.load(at).plus(input));
        List<Stmt> afterTaps = max ? List.of() : List.of(divide(w, out, at, n.x, n.hs, n.h, n.wd, n.ow, n.pl, pb, pr));
        Expr initial = Expr.f32(max ? Double.NEGATIVE_INFINITY : 0);
        Stmt body;
        if (max && c.get("rows") >= 1) {
            Var m = new Var("m", ScalarType.F32);
            body = n.rowWiseBody(in, out, inner, initial, combine, m, input -> new Stmt.Declare(m, input),
                    (i, input) -> {
                        Var t = new Var("t" + i, ScalarType.F32);
                        return Stmt.seq(new Stmt.Declare(t, input), new Stmt.Assign(m, new Expr.Select(new Expr.Bin(
                                Expr.Op.OR, new Expr.Bin(Expr.Op.LT, m, t), new Expr.Bin(Expr.Op.NE, t, t)), t, m)));
                    },
                    // Without NaN: m < t ? t : m, one vmaxps (ties keep m, the first).
                    (i, input) -> new Stmt.Assign(m, Expr.max(m, input)),
                    c.get("rows") == ROW_KERNEL ? (rows, orow) -> new Expr.Call("octet_spool_max3s2_row", List.of(
                            new Expr.AddressOf(in, rows.get(0)), new Expr.AddressOf(in, rows.get(1)),
                            new Expr.AddressOf(in, rows.get(2)), new Expr.AddressOf(out, orow), n.wd, n.ow, n.pl))
                            : null);
        } else {
            body = n.body(in, out, inner, initial, combine, afterTaps);
        }
        return new LoopKernel(name, List.of(in, out), List.of(n.h, n.wd, n.oh, n.ow, n.pt, n.pl, pb, pr), body);
    }

    /**
     * Divides the row's sums by each window's divisor. A window starts at hs (ws) ≤ H − 1 (W − 1), since it touches
     * the input, so every integer division below has a non-negative numerator (C truncation is floor there).
     */
    private static Stmt divide(PoolWorkload w, Buffer out, Expr at, Var x, Var hs, Var h, Var wd, Var ow, Var pl,
            Var pb, Var pr) {
        Var ws = Var.i64("ws");
        Var rows = Var.i64("rows");
        Var cols = Var.i64("cols");
        Expr rowCount;
        Expr colCount;
        if (w.countIncludePad()) {
            rowCount = Expr.min(of(w.kernelH()), h.plus(pb).minus(of(1)).minus(hs).div(of(w.dilationH())).plus(1));
            colCount = Expr.min(of(w.kernelW()), wd.plus(pr).minus(of(1)).minus(ws).div(of(w.dilationW())).plus(1));
        } else {
            rowCount = valid(hs, h, w.kernelH(), w.dilationH());
            colCount = valid(ws, wd, w.kernelW(), w.dilationW());
        }
        return Stmt.seq(
                new Stmt.Declare(rows, rowCount),
                new Stmt.For(x, of(0), ow, 1, Stmt.Kind.SERIAL, Stmt.seq(
                        new Stmt.Declare(ws, x.times(w.strideW()).minus(pl)),
                        new Stmt.Declare(cols, colCount),
                        out.store(at, out.load(at).div(new Expr.Cast(ScalarType.F32, rows.times(cols)))))));
    }

    /** The number of kernel offsets k in [0, K) with 0 ≤ start + k·d &lt; size. */
    private static Expr valid(Var start, Var size, int k, int d) {
        Expr first = new Expr.Select(start.lt(of(0)), of(0).minus(start).plus(d - 1).div(of(d)), of(0));
        Expr end = Expr.min(of(k), size.minus(of(1)).minus(start).div(of(d)).plus(1));
        return end.minus(first);
    }
}
