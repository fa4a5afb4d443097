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

    /** One output row y of plane idx: zero it, add every in-bounds tap, apply the epilogue. */
    private static Stmt row(ConvWorkload w, Buffer in, Buffer wt, Buffer bias, Buffer res, Buffer out, Var idx,
            Var ch, Expr y, int tag, ConvScalars sc, Stmt.Kind inner) {
        Var orow = Var.i64("orow" + tag);
        Var x = Var.i64("x" + tag);
        Var kh = Var.i64("kh" + tag);
        Var kw = Var.i64("kw" + tag);
        Var ih = Var.i64("ih" + tag);
        Var irow = Var.i64("irow" + tag);
        Var off = Var.i64("off" + tag);
        Var lo = Var.i64("lo" + tag);
        Var hi = Var.i64("hi" + tag);
        Var last = Var.i64("last" + tag);
        Var wv = new Var("wv" + tag, ScalarType.F32);
        int s = w.strideW();
        Stmt tap = Stmt.seq(
                new Stmt.Declare(off, kw.times(w.dilationW()).minus(sc.pl())),
                // Output columns x with 0 <= x*s + off < W.
                new Stmt.Declare(lo, Expr.max(of(0), of(s - 1).minus(off).div(of(s)))),
                new Stmt.Declare(last, sc.wd().minus(of(1)).minus(off)),
                new Stmt.Declare(hi, new Expr.Select(last.lt(of(0)), of(0),
                        Expr.min(sc.ow(), last.div(of(s)).plus(1)))),
                new Stmt.Declare(wv, wt.load(ch.times(w.kernelH() * w.kernelW()).plus(kh.times(w.kernelW())).plus(kw))),
                new Stmt.For(x, lo, hi, 1, inner, out.store(orow.plus(x),
                        out.load(orow.plus(x)).plus(wv.times(in.load(irow.plus(x.times(s)).plus(off)))))));
        Stmt taps = Stmt.loop(kh, w.kernelH(), Stmt.seq(
                new Stmt.Declare(ih, y.times(w.strideH()).minus(sc.pt()).plus(kh.times(w.dilationH()))),
                new Stmt.If(new Expr.Bin(Expr.Op.AND, new Expr.Bin(Expr.Op.LE, of(0), ih), ih.lt(sc.h())), Stmt.seq(
                        new Stmt.Declare(irow, idx.times(sc.h()).plus(ih).times(sc.wd())),
                        Stmt.loop(kw, w.kernelW(), tap)), null)));
        List<Stmt> body = new ArrayList<>(List.of(
                new Stmt.Declare(orow, idx.times(sc.oh()).plus(y).times(sc.ow())),
                new Stmt.For(x, of(0), sc.ow(), 1, Stmt.Kind.VECTORIZED, out.store(orow.plus(x), Expr.f32(0))),
                taps));
        if (!w.epilogue().steps().isEmpty()) {
            Expr o = orow.plus(x);
            body.add(new Stmt.For(x, of(0), sc.ow(), 1, Stmt.Kind.VECTORIZED,
                    out.store(o, w.epilogue().apply(out.load(o), bias.load(ch), res.load(o)))));
        }
        return new Stmt.Seq(body);
    }
}
