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
 * Direct int8 convolution in packed layouts, exact (DESIGN.md, "Numerics"): activations NCHW4c (u8, the last
 * quad's missing channels any value), weights OIHW4o4i as int16, output NCHW4c (u8 or s8, the last quad's missing
 * channels written as if their weights were 0), {@code y = clamp(rne((float) acc · M) + zp_y, lo, hi)},
 * acc = bias + Σ (q_x − zp_x)·w in int32. For one output row and a chunk of its columns, the KH input rows it reads
 * are prepared once as int16 differences (0 for padding); a micro-kernel of {@code octet_qdirect.h} then computes
 * 4 pixels × 8 output channels with vpmaddwd on broadcast pixel words (exact: 2·255·128 &lt; 2^31, nothing
 * saturates, so no weight property is needed) and requantizes in registers.
 *
 * <p>Valid for ungrouped convolutions. Knobs (every value valid): {@code nc} output columns per chunk (the
 * parallel grain with the rows); {@code order} 0 = output-channel pairs outer, 1 = pixel blocks outer.
 *
 * <p>Kernel parameters: buffers {@code in (u8 NCHW4c), w (packed, i16), bias (i32), mult (f32), out (NCHW4c)};
 * scalars {@code H, W, OH, OW, PT, PL, ZX, ZY, LO, HI} ({@link #scalars}); the parallel range is
 * {@code batch × OH × ceil(OW / nc)} ({@link #parallelRange}).
 */
public final class Int8DirectConvTemplate {
    public static final String NAME = "conv_int8_direct4c";
    /** Output pixels of a micro-kernel call. */
    static final int PIXELS = 4;
    /** Output channels of a micro-kernel call: two quads. */
    static final int PAIR = 8;

    private Int8DirectConvTemplate() {
    }

    public static boolean isValid(Int8ConvWorkload w) {
        return w.groups() == 1;
    }

    public static KnobSpace knobs(Int8ConvWorkload w) {
        return new KnobSpace(NAME, List.of(Knob.of("nc", 32, 16, 64), Knob.of("order", 0, 1)));
    }

    /** Quads of 4 channels holding c channels. */
    public static int quads(int c) {
        return (c + 3) / 4;
    }

    /** Packed weights and per-channel constants, each padded to whole pairs of output quads. */
    public record Params(short[] weights, int[] bias, float[] multiplier, int inputZeroPoint) {
    }

    /**
     * Packs one convolution's constants.
     *
     * @param weights s8 values, {@code [Cout][Cin][KH][KW]}
     * @param bias int32 per output channel, or null for none
     * @param multiplier M per output channel, finite
     * @param inputZeroPoint zp_x, 0..255
     * @throws IllegalArgumentException on sizes that do not match, a non-finite multiplier or a zero point out of
     *     range
     */
    public static Params pack(Int8ConvWorkload w, byte[] weights, int[] bias, float[] multiplier,
            int inputZeroPoint) {
        if (!isValid(w)) {
            throw new IllegalArgumentException(NAME + " is not valid for grouped " + w.key());
        }
        int cout = w.outChannels();
        int cin = w.inChannels();
        if (weights.length != w.weightCount()) {
            throw new IllegalArgumentException("expected " + w.weightCount() + " weights, got " + weights.length);
        }
        if (bias != null && bias.length != cout || multiplier.length != cout) {
            throw new IllegalArgumentException("expected " + cout + " bias values and multipliers");
        }
        if (inputZeroPoint < 0 || inputZeroPoint > 255) {
            throw new IllegalArgumentException("u8 input zero point " + inputZeroPoint);
        }
        int pairs = (cout + PAIR - 1) / PAIR;
        int cb = quads(cin);
        int khw = w.kernelH() * w.kernelW();
        short[] packed = new short[pairs * cb * khw * 32];
        int[] b = new int[pairs * PAIR];
        float[] m = new float[pairs * PAIR];
        for (int co = 0; co < cout; co++) {
            if (!Float.isFinite(multiplier[co])) {
                throw new IllegalArgumentException("multiplier of channel " + co + " is " + multiplier[co]);
            }
            b[co] = bias == null ? 0 : bias[co];
            m[co] = multiplier[co];
            for (int ci = 0; ci < cin; ci++) {
                for (int k = 0; k < khw; k++) {
                    int at = (((co / PAIR * cb + ci / 4) * khw + k) * 2 + co % PAIR / 4) * 16 + co % 4 * 4 + ci % 4;
                    packed[at] = weights[(co * cin + ci) * khw + k];
                }
            }
        }
        return new Params(packed, b, m, inputZeroPoint);
    }

    /** NCHW values as NCHW4c ({@code [N][C/4][H][W][4]}), the last quad's missing channels {@code fill}. */
    public static byte[] toNchw4c(byte[] nchw, int n, int c, int h, int w, byte fill) {
        int cb = quads(c);
        byte[] out = new byte[n * cb * h * w * 4];
        java.util.Arrays.fill(out, fill);
        for (int b = 0; b < n; b++) {
            for (int ch = 0; ch < c; ch++) {
                for (int i = 0; i < h * w; i++) {
                    out[((b * cb + ch / 4) * h * w + i) * 4 + ch % 4] = nchw[(b * c + ch) * h * w + i];
                }
            }
        }
        return out;
    }

    /** NCHW4c values back to NCHW, dropping the last quad's missing channels. */
    public static byte[] fromNchw4c(byte[] packed, int n, int c, int h, int w) {
        int cb = quads(c);
        byte[] out = new byte[n * c * h * w];
        for (int b = 0; b < n; b++) {
            for (int ch = 0; ch < c; ch++) {
                for (int i = 0; i < h * w; i++) {
                    out[(b * c + ch) * h * w + i] = packed[((b * cb + ch / 4) * h * w + i) * 4 + ch % 4];
                }
            }
        }
        return out;
    }

    public static long parallelRange(int batch, int oh, int ow, Config c) {
        return (long) batch * oh * ((ow + c.get("nc") - 1) / c.get("nc"));
    }

    public static long[] scalars(Params p, int h, int w, int oh, int ow, int pt, int pl, int outputZeroPoint,
            int lo, int hi) {
        return new long[] {h, w, oh, ow, pt, pl, p.inputZeroPoint(), outputZeroPoint, lo, hi};
    }

    public static LoopKernel build(Int8ConvWorkload w, Config c, String name) {
        if (!isValid(w)) {
            throw new IllegalArgumentException(c + " is not valid for " + w.key());
        }
        int nc = c.get("nc");
        int s = w.strideW();
        int cb = quads(w.inChannels());
        int ob = quads(w.outChannels());
        int pairs = (w.outChannels() + PAIR - 1) / PAIR;
        int khw = w.kernelH() * w.kernelW();
        long span = (long) (ConvGemmTemplate.roundUp(nc, PIXELS) - 1) * s + (long) (w.kernelW() - 1) * w.dilationW()
                + 1;

        Buffer in = Buffer.input("in", ScalarType.U8);
        Buffer wt = Buffer.input("w", ScalarType.I16);
        Buffer bias = Buffer.input("bias", ScalarType.I32);
        Buffer mult = Buffer.input("mult", ScalarType.F32);
        Buffer out = Buffer.output("out", w.signedOutput() ? ScalarType.I8 : ScalarType.U8);
        Buffer prep = Buffer.output("prep", ScalarType.I16);
        Var h = Var.i64("H");
        Var wd = Var.i64("W");
        Var oh = Var.i64("OH");
        Var ow = Var.i64("OW");
        Var pt = Var.i64("PT");
        Var pl = Var.i64("PL");
        Var zx = Var.i64("ZX");
        Var zy = Var.i64("ZY");
        Var lo = Var.i64("LO");
        Var hi = Var.i64("HI");
        Var nch = Var.i64("NCH");
        Var idx = Var.i64("idx");
        Var b = Var.i64("b");
        Var rem = Var.i64("rem");
        Var y = Var.i64("y");
        Var x0 = Var.i64("x0");
        Var n = Var.i64("n");
        Var op = Var.i64("op");
        Var p = Var.i64("p");

        Stmt tile = new Stmt.Eval(new Expr.Call("octet_qd_4x8", List.of(
                new Expr.AddressOf(prep, p.times(s * 4L)), of(span), of(cb),
                new Expr.AddressOf(wt, op.times((long) cb * khw * 32)), new Expr.AddressOf(bias, op.times(PAIR)),
                new Expr.AddressOf(mult, op.times(PAIR)), zy, lo, hi, of(w.signedOutput() ? 1 : 0),
                new Expr.AddressOf(out, b.times(ob).plus(op.times(2)).times(oh).plus(y).times(ow).plus(x0).plus(p)
                        .times(4)),
                oh.times(ow).times(4), op.times(2).plus(1).lt(of(ob)), Expr.min(of(PIXELS), n.minus(p)),
                of(w.kernelH()), of(w.kernelW()), of(s), of(w.dilationW()))));
        Stmt tiles = c.get("order") == 0
                ? Stmt.loop(op, pairs, new Stmt.For(p, of(0), n, PIXELS, Stmt.Kind.SERIAL, tile))
                : new Stmt.For(p, of(0), n, PIXELS, Stmt.Kind.SERIAL, Stmt.loop(op, pairs, tile));
        Stmt item = Stmt.seq(
                new Stmt.Declare(b, idx.div(oh.times(nch))),
                new Stmt.Declare(rem, new Expr.Bin(Expr.Op.MOD, idx, oh.times(nch))),
                new Stmt.Declare(y, rem.div(nch)),
                new Stmt.Declare(x0, new Expr.Bin(Expr.Op.MOD, rem, nch).times(nc)),
                new Stmt.Declare(n, Expr.min(of(nc), ow.minus(x0))),
                new Stmt.Eval(new Expr.Call("octet_qd_prep", new ArrayList<>(List.of(new Expr.AddressOf(prep, of(0)),
                        new Expr.AddressOf(in, b.times((long) cb * 4).times(h).times(wd)), of(cb), h, wd,
                        y.times(w.strideH()).minus(pt), of(w.dilationH()), of(w.kernelH()), x0.times(s).minus(pl),
                        of(span), zx)))),
                tiles);
        Stmt body = Stmt.seq(
                new Stmt.Declare(nch, ow.plus(nc - 1).div(of(nc))),
                new Stmt.LocalArray(prep, w.kernelH() * cb * span * 4,
                        new Stmt.For(idx, LoopKernel.BEGIN, LoopKernel.END, 1, Stmt.Kind.SERIAL, item)));
        return new LoopKernel(name, List.of(in, wt, bias, mult, out), List.of(h, wd, oh, ow, pt, pl, zx, zy, lo, hi),
                body);
    }
}
