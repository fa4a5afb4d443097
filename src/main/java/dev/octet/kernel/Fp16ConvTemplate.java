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
 * Direct fp16 convolution, NHWC in and out, HWIO weights, every product summed in an fp32 accumulator and the sum
 * rounded once to fp16. It exists so that the tuner can reorder a floating-point reduction, the transformation
 * behind Apache TVM's second historical bug (a MetaSchedule-tuned fp16 conv2d whose loop reorder changed its
 * results): every order this template prints is a different summation order, and each must stay within the bound
 * built on the accumulation type ({@code verify.Fp16Bound}), which an fp16 accumulator breaks.
 *
 * <p>fp16 is storage only (loaded, converted to fp32, multiplied exactly: 11 × 11 significand bits fit in 24),
 * so the code is correct at every ISA level of Octet; none has AVX512-FP16 arithmetic, and x86-64-v3 converts with
 * F16C. Valid for any channel counts, kernel size, stride, dilation and pads.
 *
 * <p>Knobs: {@code order}, the nest of the output-channel loop (OC) and the reduction loops (KH, KW, CI) of one
 * pixel and channel tile, one of {@link #ORDERS}; {@code split} 1 or 2 partial accumulators per channel, kernel
 * rows alternating between them and added at the end (a reduction split: a different association of the sum);
 * {@code oct} output channels per tile; {@code unroll} 1 = the innermost loop is unrolled.
 *
 * <p>Kernel parameters: buffers {@code in (f16 NHWC), w (f16 HWIO), out (f16 NHWC)}; scalars
 * {@code H, W, OH, OW, PT, PL}; the parallel range is {@code batch × OH} output rows ({@link #parallelRange}).
 */
public final class Fp16ConvTemplate {
    public static final String NAME = "conv_f16_nhwc";

    /** The loops of one pixel's tile, outermost first. */
    enum Dim { KH, KW, CI, OC }

    /**
     * Loop orders by knob value: 0 channel-inner (each input value updates a tile of channels; vectorizes over OC),
     * 1 reduction-inner (one dot product per channel), 2 KW inside CI, 3 CI outermost, 4 KW innermost.
     */
    static final List<List<Dim>> ORDERS = List.of(
            List.of(Dim.KH, Dim.KW, Dim.CI, Dim.OC),
            List.of(Dim.OC, Dim.KH, Dim.KW, Dim.CI),
            List.of(Dim.KH, Dim.CI, Dim.KW, Dim.OC),
            List.of(Dim.CI, Dim.KH, Dim.KW, Dim.OC),
            List.of(Dim.OC, Dim.CI, Dim.KH, Dim.KW));

    private Fp16ConvTemplate() {
    }

    public static KnobSpace knobs(Fp16ConvWorkload w) {
        return new KnobSpace(NAME, List.of(Knob.of("order", 0, 1, 2, 3, 4), Knob.of("split", 1, 2),
                Knob.of("oct", 16, 64, 8), Knob.of("unroll", 0, 1)));
    }

    public static long parallelRange(int batch, int oh) {
        return (long) batch * oh;
    }

    public static LoopKernel build(Fp16ConvWorkload w, Config c, String name) {
        if (!knobs(w).contains(c)) {
            throw new IllegalArgumentException(c + " is not a configuration of " + NAME);
        }
        List<Dim> order = ORDERS.get(c.get("order"));
        int split = c.get("split");
        int tile = c.get("oct");
        Stmt.Kind innermost = c.get("unroll") == 1 ? Stmt.Kind.UNROLLED : Stmt.Kind.SERIAL;
        int cin = w.inChannels();
        int cout = w.outChannels();

        Buffer in = Buffer.input("in", ScalarType.F16);
        Buffer wt = Buffer.input("w", ScalarType.F16);
        Buffer out = Buffer.output("out", ScalarType.F16);
        Buffer acc = Buffer.output("acc", ScalarType.F32);
        ConvScalars sc = ConvScalars.declare();
        Var idx = Var.i64("idx");
        Var b = Var.i64("b");
        Var oy = Var.i64("oy");
        Var ox = Var.i64("ox");
        Var oc0 = Var.i64("oc0");
        Var n = Var.i64("n");
        Var q = Var.i64("q");
        Var kh = Var.i64("kh");
        Var kw = Var.i64("kw");
        Var ci = Var.i64("ci");
        Var j = Var.i64("j");
        Var iy = Var.i64("iy");
        Var ix = Var.i64("ix");

        Expr part = split == 1 ? of(0) : new Expr.Bin(Expr.Op.MOD, kh, of(split)).times(tile);
        Expr a = part.plus(j);
        Expr x = in.load(b.times(sc.h()).plus(iy).times(sc.wd()).plus(ix).times(cin).plus(ci));
        Expr weight = wt.load(kh.times(w.kernelW()).plus(kw).times(cin).plus(ci).times(cout).plus(oc0).plus(j));
        Stmt nest = acc.store(a, acc.load(a).plus(new Expr.Cast(ScalarType.F32, x)
                .times(new Expr.Cast(ScalarType.F32, weight))));
        for (int i = order.size() - 1; i >= 0; i--) {
            Stmt.Kind kind = i == order.size() - 1 ? innermost : Stmt.Kind.SERIAL;
            nest = switch (order.get(i)) {
                case KH -> new Stmt.For(kh, of(0), of(w.kernelH()), 1, kind, Stmt.seq(
                        new Stmt.Declare(iy, oy.times(w.strideH()).minus(sc.pt()).plus(kh.times(w.dilationH()))),
                        new Stmt.If(inside(iy, sc.h()), nest, null)));
                case KW -> new Stmt.For(kw, of(0), of(w.kernelW()), 1, kind, Stmt.seq(
                        new Stmt.Declare(ix, ox.times(w.strideW()).minus(sc.pl()).plus(kw.times(w.dilationW()))),
                        new Stmt.If(inside(ix, sc.wd()), nest, null)));
                case CI -> new Stmt.For(ci, of(0), of(cin), 1, kind, nest);
                case OC -> new Stmt.For(j, of(0), n, 1, kind, nest);
            };
        }
        Expr sum = acc.load(j);
        for (int p = 1; p < split; p++) {
            sum = sum.plus(acc.load(j.plus(p * tile)));
        }
        Stmt store = Stmt.loop(j, of(0), n, out.store(b.times(sc.oh()).plus(oy).times(sc.ow()).plus(ox).times(cout)
                .plus(oc0).plus(j), new Expr.Cast(ScalarType.F16, sum)));
        Stmt channelTile = Stmt.seq(
                new Stmt.Declare(n, Expr.min(of(tile), of(cout).minus(oc0))),
                Stmt.loop(q, split * tile, acc.store(q, Expr.f32(0))),
                nest,
                store);
        Stmt item = Stmt.seq(
                new Stmt.Declare(b, idx.div(sc.oh())),
                new Stmt.Declare(oy, new Expr.Bin(Expr.Op.MOD, idx, sc.oh())),
                Stmt.loop(ox, of(0), sc.ow(), new Stmt.For(oc0, of(0), of(cout), tile, Stmt.Kind.SERIAL, channelTile)));
        Stmt body = new Stmt.LocalArray(acc, (long) split * tile,
                Stmt.loop(idx, LoopKernel.BEGIN, LoopKernel.END, item));
        return new LoopKernel(name, List.of(in, wt, out), sc.all(), body);
    }

    /** 0 ≤ i &lt; limit: the input row or column is not padding. */
    private static Expr inside(Expr i, Expr limit) {
        return new Expr.Bin(Expr.Op.AND, new Expr.Bin(Expr.Op.LE, of(0), i), i.lt(limit));
    }
}
