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

/**
 * fp32 depthwise convolution, NCHW (one input channel per output channel). Each output row accumulates its
 * kernel's taps in (kh, kw) order; for each tap the range of output columns whose input lies inside the image is
 * computed once, so the innermost loop has no bounds checks and vectorizes. Padding contributes nothing, as zeros.
 *
 * <p>Knobs: {@code rows} output rows per inner block (1 or 2: two rows share each weight load),
 * {@code inner} 0 = vectorized inner loop, 1 = unrolled.
 *
 * <p>Kernel parameters: buffers {@code in, w, [bias], [res], out}; scalars {@code H, W, OH, OW, PT, PL}; the
 * parallel range is {@code batch × channels}.
 */
public final class DepthwiseTemplate {
    public static final String NAME = "depthwise";
    /** Columns in the overlapping last block of a row's interior: one AVX-512 vector, two AVX2 ones. */
    private static final int TAIL = 16;

    private DepthwiseTemplate() {
    }

    static boolean isValid(ConvWorkload w) {
        return w.isDepthwise();
    }

    public static KnobSpace knobs(ConvWorkload w) {
        return new KnobSpace(NAME, List.of(Knob.of("rows", 1, 2), Knob.of("inner", 0, 1)));
    }

    /** Weights [C][1][KH][KW] are used as they are. */
    public static float[] packWeights(ConvWorkload w, float[] weights) {
        return weights.clone();
    }

    public static long parallelRange(int batch, ConvWorkload w) {
        return (long) batch * w.outChannels();
    }

    public static LoopKernel build(ConvWorkload w, Config c, String name) {
        Buffer in = Buffer.input("in", ScalarType.F32);
        Buffer wt = Buffer.input("w", ScalarType.F32);
        Buffer bias = Buffer.input("bias", ScalarType.F32);
        Buffer res = Buffer.input("res", ScalarType.F32);
        Buffer out = Buffer.output("out", ScalarType.F32);
        ConvScalars sc = ConvScalars.declare();
        Var idx = Var.i64("idx");
        Var ch = Var.i64("ch");
        Var y0 = Var.i64("y0");
        int rows = c.get("rows");
        Stmt.Kind inner = c.get("inner") == 0 ? Stmt.Kind.VECTORIZED : Stmt.Kind.UNROLLED;

        List<Stmt> rowBlock = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            rowBlock.add(row(w, in, wt, bias, res, out, idx, ch, y0.plus(r), r, sc, inner));
        }
        Var yEnd = Var.i64("yfull");
        Stmt body = new Stmt.For(idx, LoopKernel.BEGIN, LoopKernel.END, 1, Stmt.Kind.SERIAL, Stmt.seq(
                new Stmt.Declare(ch, new Expr.Bin(Expr.Op.MOD, idx, of(w.outChannels()))),
                new Stmt.Declare(yEnd, sc.oh().div(of(rows)).times(rows)),
                new Stmt.For(y0, of(0), yEnd, rows, Stmt.Kind.SERIAL, new Stmt.Seq(rowBlock)),
                new Stmt.For(y0, yEnd, sc.oh(), 1, Stmt.Kind.SERIAL,
                        row(w, in, wt, bias, res, out, idx, ch, y0, 0, sc, inner))));
        List<Buffer> buffers = w.epilogue().buffers(in, wt, bias, res, out);
        return new LoopKernel(name, buffers, sc.all(), body);
    }

    /**
     * One output row y of plane idx: zero it, add every in-bounds tap, apply the epilogue. The columns where all KW
     * taps lie inside the image (the same for every kernel row) get one vector pass per kernel row that adds its KW
     * taps in registers; the few border columns (at most the padding on each side) then add their in-bounds taps
     * one by one, in a scalar pass. Either way each output element sums its taps in (kh, kw) order, each tap one
     * fused multiply-add.
     */
    private static Stmt row(ConvWorkload w, Buffer in, Buffer wt, Buffer bias, Buffer res, Buffer out, Var idx,
            Var ch, Expr y, int tag, ConvScalars sc, Stmt.Kind inner) {
        Var orow = Var.i64("orow" + tag);
        Var x = Var.i64("x" + tag);
        Var kh = Var.i64("kh" + tag);
        Var ilo = Var.i64("ilo" + tag);
        Var ihi = Var.i64("ihi" + tag);
        int s = w.strideW();
        int kwN = w.kernelW();
        Expr wBase = ch.times(w.kernelH() * kwN).plus(kh.times(kwN));
        // Output columns x with 0 <= x*s + off < W for off = kw*dil - PL; offsets grow with kw, so the first tap
        // bounds the interior from below and the last from above.
        Expr firstOff = sc.pl().times(-1);
        Expr lastOff = of((long) (kwN - 1) * w.dilationW()).minus(sc.pl());
        Expr lastCol = sc.wd().minus(of(1)).minus(lastOff);
        List<Stmt> body = new ArrayList<>(List.of(
                new Stmt.Declare(orow, idx.times(sc.oh()).plus(y).times(sc.ow())),
                new Stmt.For(x, of(0), sc.ow(), 1, Stmt.Kind.VECTORIZED, out.store(orow.plus(x), Expr.f32(0))),
                new Stmt.Declare(ilo, Expr.min(sc.ow(), Expr.max(of(0), of(s - 1).minus(firstOff).div(of(s))))),
                new Stmt.Declare(ihi, Expr.max(ilo, new Expr.Select(lastCol.lt(of(0)), of(0),
                        Expr.min(sc.ow(), lastCol.div(of(s)).plus(1))))),
                w.dilationH() == 1 ? interiorAllRows(w, in, wt, out, idx, ch, y, tag, sc, orow, x, ilo, ihi, inner)
                        : kernelRows(w, sc, y, kh, idx, "i" + tag, irow -> {
                    List<Stmt> perRow = new ArrayList<>();
                    Var[] wvs = new Var[kwN];
                    for (int kw = 0; kw < kwN; kw++) {
                        wvs[kw] = new Var("wv" + tag + "_" + kw, ScalarType.F32);
                        perRow.add(new Stmt.Declare(wvs[kw], wt.load(wBase.plus(kw))));
                    }
                    Expr sum = out.load(orow.plus(x));
                    for (int kw = 0; kw < kwN; kw++) {
                        sum = fma(wvs[kw], in.load(irow.plus(x.times(s)).plus(tapOffset(w, sc, kw))), sum);
                    }
                    perRow.add(new Stmt.For(x, ilo, ihi, 1, inner, out.store(orow.plus(x), sum)));
                    return new Stmt.Seq(perRow);
                }),
                border(w, in, wt, out, idx, ch, y, tag, sc, orow, x, of(0), ilo),
                border(w, in, wt, out, idx, ch, y, tag, sc, orow, x, ihi, sc.ow())));
        if (!w.epilogue().steps().isEmpty()) {
            Expr o = orow.plus(x);
            body.add(new Stmt.For(x, of(0), sc.ow(), 1, Stmt.Kind.VECTORIZED,
                    out.store(o, w.epilogue().apply(out.load(o), bias.load(ch), res.load(o)))));
        }
        return new Stmt.Seq(body);
    }

    /**
     * The interior columns of output row y with every in-bounds kernel row in one pass (stride 1 in height's
     * dilation): the n kernel rows khlo..khlo+n-1 inside the image are contiguous, so one loop per possible n adds
     * all n·KW taps in registers and stores each output once. Each kernel row sums into its own partial (KW fused
     * multiply-adds), the partials are then added in kernel-row order: n short dependency chains instead of one of
     * n·KW, which would leave the FMA units waiting on latency (a reordering the fp32 bound allows).
     */
    private static Stmt interiorAllRows(ConvWorkload w, Buffer in, Buffer wt, Buffer out, Var idx, Var ch, Expr y,
            int tag, ConvScalars sc, Var orow, Var x, Var ilo, Var ihi, Stmt.Kind inner) {
        Var top = Var.i64("top" + tag);
        Var khlo = Var.i64("khlo" + tag);
        Var rows = Var.i64("nrows" + tag);
        int khN = w.kernelH();
        int kwN = w.kernelW();
        Stmt chain = null;
        for (int n = 1; n <= khN; n++) {
            List<Stmt> body = new ArrayList<>();
            Var[] irows = new Var[n];
            Var[][] wvs = new Var[n][kwN];
            for (int j = 0; j < n; j++) {
                irows[j] = Var.i64("arow" + tag + "_" + j);
                // The row's start less the left padding: each tap's load is then this base plus a constant.
                body.add(new Stmt.Declare(irows[j], idx.times(sc.h()).plus(top).plus(khlo).plus(j).times(sc.wd())
                        .minus(sc.pl())));
                for (int kw = 0; kw < kwN; kw++) {
                    wvs[j][kw] = new Var("aw" + tag + "_" + j + "_" + kw, ScalarType.F32);
                    body.add(new Stmt.Declare(wvs[j][kw],
                            wt.load(ch.times(khN * kwN).plus(khlo.plus(j).times(kwN)).plus(kw))));
                }
            }
            java.util.function.Function<Expr, Stmt> storeAt = col -> {
                Expr sum = null;
                for (int j = 0; j < irows.length; j++) {
                    Expr part = Expr.f32(0);
                    for (int kw = 0; kw < kwN; kw++) {
                        part = fma(wvs[j][kw], in.load(irows[j].plus(col.times(w.strideW()))
                                .plus((long) kw * w.dilationW())), part);
                    }
                    sum = sum == null ? part : sum.plus(part);
                }
                return out.store(orow.plus(col), sum);
            };
            // Whole blocks of TAIL columns, then the last TAIL columns again (overlapping: each output is a pure
            // function of the input, so recomputing it stores the same value) instead of a scalar remainder whose
            // n·KW-long chains would cost as much as the vector part on rows of ~80 columns.
            Var mainEnd = Var.i64("aend" + tag);
            Var t = Var.i64("at" + tag);
            Expr len = ihi.minus(ilo);
            body.add(new Stmt.If(len.lt(of(TAIL)), new Stmt.For(x, ilo, ihi, 1, inner, storeAt.apply(x)), Stmt.seq(
                    new Stmt.Declare(mainEnd, ilo.plus(len.div(of(TAIL)).times(TAIL))),
                    new Stmt.For(x, ilo, mainEnd, 1, inner, storeAt.apply(x)),
                    new Stmt.If(mainEnd.lt(ihi), new Stmt.For(t, of(0), of(TAIL), 1, Stmt.Kind.VECTORIZED,
                            storeAt.apply(ihi.minus(of(TAIL)).plus(t))), null))));
            chain = new Stmt.If(new Expr.Bin(Expr.Op.EQ, rows, of(n)), new Stmt.Seq(body), chain);
        }
        return Stmt.seq(
                new Stmt.Declare(top, y.times(w.strideH()).minus(sc.pt())),
                new Stmt.Declare(khlo, Expr.max(of(0), top.times(-1))),
                new Stmt.Declare(rows, Expr.min(of(khN), sc.h().minus(top)).minus(khlo)),
                chain);
    }

    /** The column offset of tap kw: x*s + offset is its input column. */
    private static Expr tapOffset(ConvWorkload w, ConvScalars sc, int kw) {
        return of((long) kw * w.dilationW()).minus(sc.pl());
    }

    /** For each kernel row kh whose input row lies inside the image: body(irow), irow the input row's start. */
    private static Stmt kernelRows(ConvWorkload w, ConvScalars sc, Expr y, Var kh, Var idx, String tag,
            java.util.function.Function<Var, Stmt> body) {
        Var ih = Var.i64("inrow" + tag);
        Var irow = Var.i64("inrowstart" + tag);
        return Stmt.loop(kh, w.kernelH(), Stmt.seq(
                new Stmt.Declare(ih, y.times(w.strideH()).minus(sc.pt()).plus(kh.times(w.dilationH()))),
                new Stmt.If(new Expr.Bin(Expr.Op.AND, new Expr.Bin(Expr.Op.LE, of(0), ih), ih.lt(sc.h())), Stmt.seq(
                        new Stmt.Declare(irow, idx.times(sc.h()).plus(ih).times(sc.wd())),
                        body.apply(irow)), null)));
    }

    /** Border columns [from, to): the in-bounds taps of each kernel row into a partial, added in row order. */
    private static Stmt border(ConvWorkload w, Buffer in, Buffer wt, Buffer out, Var idx, Var ch, Expr y, int tag,
            ConvScalars sc, Var orow, Var x, Expr from, Expr to) {
        Var kh = Var.i64("bkh" + tag);
        Var acc = new Var("bacc" + tag, ScalarType.F32);
        Var part = new Var("bpart" + tag, ScalarType.F32);
        int kwN = w.kernelW();
        Stmt taps = kernelRows(w, sc, y, kh, idx, "b" + tag, irow -> {
            List<Stmt> perTap = new ArrayList<>(List.of(new Stmt.Declare(part, Expr.f32(0))));
            for (int kw = 0; kw < kwN; kw++) {
                Var col = Var.i64("bcol" + tag + "_" + kw);
                perTap.add(new Stmt.Declare(col, x.times(w.strideW()).plus(tapOffset(w, sc, kw))));
                perTap.add(new Stmt.If(new Expr.Bin(Expr.Op.AND, new Expr.Bin(Expr.Op.LE, of(0), col),
                        col.lt(sc.wd())), new Stmt.Assign(part, fma(wt.load(ch.times(w.kernelH() * kwN)
                        .plus(kh.times(kwN)).plus(kw)), in.load(irow.plus(col)), part)), null));
            }
            perTap.add(new Stmt.Assign(acc, acc.plus(part)));
            return new Stmt.Seq(perTap);
        });
        // The sum stays in a register: a store and reload per tap would chain every tap through memory.
        return new Stmt.For(x, from, to, 1, Stmt.Kind.SERIAL, Stmt.seq(
                new Stmt.Declare(acc, out.load(orow.plus(x))), taps, out.store(orow.plus(x), acc)));
    }

    /**
     * a·b + c with one rounding (C's fmaf, one vfmadd instruction): a float kernel may fuse (DESIGN's fp32 bound
     * holds for any rounding of each product-sum), and it halves the arithmetic instructions of the tap loop.
     */
    private static Expr fma(Expr a, Expr b, Expr c) {
        return new Expr.Call("fmaf", List.of(a, b, c));
    }
}
