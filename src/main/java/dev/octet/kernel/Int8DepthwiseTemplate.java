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
 * int8 depthwise convolution, NCHW, exact (DESIGN.md, "Numerics"): u8 input with zero point zp_x, s8 weights per
 * channel, int32 bias, fp32 multiplier M per channel, u8 or s8 output
 * {@code y = clamp(rne((float) acc · M) + zp_y, lo, hi)}, acc = bias + Σ (q_x − zp_x)·w in int32 (padding is
 * q_x = zp_x, so it adds nothing). For a block of output rows and a chunk of output columns, each input row the
 * block reads is prepared once as int16 differences (q_x − zp_x, 0 for padding) in pairs of horizontal taps, split
 * by the stride into phases ({@code octet_qdw.h}); every output row of the block then applies its taps two at a
 * time with vpmaddwd (exact: 2·255·128 &lt; 2^31, nothing saturates) and requantizes in registers.
 *
 * <p>Knobs (every value valid for every workload): {@code rows} output rows per block (the prepared rows of a
 * block are shared by its rows); {@code cols} output columns per chunk (bounds the scratch: widths are run-time);
 * {@code vec} outputs per step of the inner loop (8: one accumulator, 16: two); {@code parallel} 0 = one work item
 * per channel plane, 1 = per (plane, row block).
 *
 * <p>Kernel parameters: buffers {@code in (u8), w (packed pairs, i32), bias (i32), mult (f32), out (u8 or s8)};
 * scalars {@code H, W, OH, OW, PT, PL, ZX, ZY, LO, HI} ({@link #scalars}); the parallel range is
 * {@link #parallelRange}.
 */
public final class Int8DepthwiseTemplate {
    public static final String NAME = "dwconv_int8";

    private Int8DepthwiseTemplate() {
    }

    public static KnobSpace knobs(Int8DepthwiseWorkload w) {
        return new KnobSpace(NAME, List.of(Knob.of("rows", 4, 1, 2, 8), Knob.of("cols", 128, 64, 256),
                Knob.of("vec", 16, 8), Knob.of("parallel", 0, 1)));
    }

    static boolean isValid(Int8DepthwiseWorkload w, Config c) {
        return knobs(w).all().contains(c);
    }

    /** One convolution's constants as the kernel takes them, and the input zero point. */
    public record Params(int[] weights, int[] bias, float[] multiplier, int inputZeroPoint) {
    }

    /**
     * Packs one depthwise convolution's constants (the packing does not depend on the configuration).
     *
     * @param weights s8 values, {@code [C][1][KH][KW]}
     * @param bias int32 per channel (QLinearConv's B), or null for none
     * @param multiplier M = s_x·s_w/s_y per channel ({@code QuantMath.multiplier}), finite
     * @param inputZeroPoint zp_x, 0..255
     * @throws IllegalArgumentException on sizes that do not match, a non-finite multiplier or a zero point out of
     *     range
     */
    public static Params pack(Int8DepthwiseWorkload w, byte[] weights, int[] bias, float[] multiplier,
            int inputZeroPoint) {
        int ch = w.channels();
        Int8PackArguments.check(w.weightCount(), weights, ch, bias, multiplier, inputZeroPoint);
        int kh = w.kernelH();
        int kw = w.kernelW();
        int pairs = w.pairsPerRow();
        int[] packed = new int[ch * kh * pairs];
        for (int c = 0; c < ch; c++) {
            for (int ky = 0; ky < kh; ky++) {
                for (int p = 0; p < pairs; p++) {
                    int base = (c * kh + ky) * kw + 2 * p;
                    int w0 = weights[base];
                    int w1 = 2 * p + 1 < kw ? weights[base + 1] : 0;
                    packed[(c * kh + ky) * pairs + p] = (w0 & 0xffff) | w1 << 16;
                }
            }
        }
        return new Params(packed, bias == null ? new int[ch] : bias.clone(), multiplier.clone(), inputZeroPoint);
    }

    /** Number of parallel work items for one run. */
    public static long parallelRange(int batch, Int8DepthwiseWorkload w, int oh, Config c) {
        long planes = (long) batch * w.channels();
        return c.get("parallel") == 0 ? planes : planes * ((oh + c.get("rows") - 1) / c.get("rows"));
    }

    /**
     * The kernel's scalar arguments: sizes and top/left pads of one run, the zero points, and the clamp range
     * [lo, hi] (the output type's, or narrower for a fused ReLU/Clip).
     */
    public static long[] scalars(Params p, int h, int w, int oh, int ow, int pt, int pl, int outputZeroPoint,
            int lo, int hi) {
        return Int8ConvScalars.values(h, w, oh, ow, pt, pl, p.inputZeroPoint(), outputZeroPoint, lo, hi);
    }

    /** Words per phase of a prepared row: a chunk's outputs rounded to 16, the widest tap pair's offset, slack. */
    static long phaseLength(Int8DepthwiseWorkload w, Config c) {
        long words = ConvGemmTemplate.roundUp(c.get("cols"), 16)
                + (long) (w.kernelW() - 1) * w.dilationW() / w.strideW() + 1;
        return ConvGemmTemplate.roundUp((int) words, 8) + 8;
    }

    public static LoopKernel build(Int8DepthwiseWorkload w, Config c, String name) {
        if (!isValid(w, c)) {
            throw new IllegalArgumentException(c + " is not valid for " + w.key());
        }
        int rows = c.get("rows");
        int cols = c.get("cols");
        int sh = w.strideH();
        int sw = w.strideW();
        int kh = w.kernelH();
        long lp = phaseLength(w, c);
        long rowWords = sw * lp;
        long blockRows = (long) (rows - 1) * sh + (long) (kh - 1) * w.dilationH() + 1;

        Buffer in = Buffer.input("in", ScalarType.U8);
        Buffer wt = Buffer.input("w", ScalarType.I32);
        Buffer bias = Buffer.input("bias", ScalarType.I32);
        Buffer mult = Buffer.input("mult", ScalarType.F32);
        Buffer out = Buffer.output("out", w.signedOutput() ? ScalarType.I8 : ScalarType.U8);
        Buffer scr = Buffer.output("scr", ScalarType.I32);
        Int8ConvScalars sc = Int8ConvScalars.declare();
        Var nrb = Var.i64("NRB");
        Var idx = Var.i64("idx");
        Var plane = Var.i64("plane");
        Var ch = Var.i64("ch");
        Var rb0 = Var.i64("rb0");
        Var rb1 = Var.i64("rb1");
        Var rb = Var.i64("rb");
        Var c0 = Var.i64("c0");
        Var n = Var.i64("n");
        Var x0 = Var.i64("x0");
        Var y0 = Var.i64("y0");
        Var nr = Var.i64("nr");
        Var i = Var.i64("i");
        Var yl = Var.i64("yl");

        // Words of each phase the chunk's n valid outputs read: n plus the widest tap pair's offset (the vector
        // steps' reads past them stay inside the phase: lp has 16 words more, rounded to 8).
        Expr need = n.plus((long) (w.kernelW() - 1) * w.dilationW() / sw);
        Stmt prep = new Stmt.Eval(call("octet_qdw_prep", new Expr.AddressOf(scr, i.times(rowWords)), of(lp), need,
                new Expr.AddressOf(in, plane.times(sc.h()).times(sc.wd())), sc.h(), sc.wd(),
                y0.times(sh).minus(sc.pt()).plus(i), x0, of(sw), of(w.dilationW()), sc.zx()));
        Stmt row = new Stmt.Eval(call("octet_qdw_row",
                new Expr.AddressOf(out, plane.times(sc.oh()).plus(y0).plus(yl).times(sc.ow()).plus(c0)), n,
                new Expr.AddressOf(scr, yl.times(sh * rowWords)), of(lp), of(w.dilationH() * rowWords),
                new Expr.AddressOf(wt, ch.times((long) kh * w.pairsPerRow())), bias.load(ch), mult.load(ch), sc.zy(),
                sc.lo(), sc.hi(), of(w.signedOutput() ? 1 : 0), of(kh), of(w.kernelW()), of(sw), of(w.dilationW()),
                of(c.get("vec"))));
        Stmt block = Stmt.seq(
                new Stmt.Declare(y0, rb.times(rows)),
                new Stmt.Declare(nr, Expr.min(of(rows), sc.oh().minus(y0))),
                Stmt.loop(i, of(0), nr.minus(of(1)).times(sh).plus((long) (kh - 1) * w.dilationH() + 1), prep),
                Stmt.loop(yl, of(0), nr, row));
        Stmt chunk = Stmt.seq(
                new Stmt.Declare(n, Expr.min(of(cols), sc.ow().minus(c0))),
                new Stmt.Declare(x0, c0.times(sw).minus(sc.pl())),
                Stmt.loop(rb, rb0, rb1, block));
        boolean perPlane = c.get("parallel") == 0;
        Stmt item = Stmt.seq(
                new Stmt.Declare(plane, perPlane ? idx : idx.div(nrb)),
                new Stmt.Declare(ch, new Expr.Bin(Expr.Op.MOD, plane, of(w.channels()))),
                new Stmt.Declare(rb0, perPlane ? of(0) : new Expr.Bin(Expr.Op.MOD, idx, nrb)),
                new Stmt.Declare(rb1, perPlane ? nrb : rb0.plus(1)),
                new Stmt.For(c0, of(0), sc.ow(), cols, Stmt.Kind.SERIAL, chunk));
        Stmt body = Stmt.seq(
                new Stmt.Declare(nrb, sc.oh().plus(rows - 1).div(of(rows))),
                new Stmt.LocalArray(scr, blockRows * rowWords,
                        new Stmt.For(idx, LoopKernel.BEGIN, LoopKernel.END, 1, Stmt.Kind.SERIAL, item)));
        return new LoopKernel(name, List.of(in, wt, bias, mult, out), sc.all(), body);
    }

    private static Expr.Call call(String function, Expr... args) {
        return new Expr.Call(function, new ArrayList<>(List.of(args)));
    }
}
