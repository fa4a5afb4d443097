package dev.octet.kernel;

import static dev.octet.kernel.loop.Expr.of;

import dev.octet.kernel.loop.Buffer;
import dev.octet.kernel.loop.Expr;
import dev.octet.kernel.loop.LoopKernel;
import dev.octet.kernel.loop.ScalarType;
import dev.octet.kernel.loop.Stmt;
import dev.octet.kernel.loop.Var;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * Direct int8 convolution in packed layouts, exact (DESIGN.md, "Numerics"): activations NCHW4c (u8, the last
 * quad's missing channels any value), weights OIHW4o4i as int16, output NCHW4c (u8 or s8, the last quad's missing
 * channels written as if their weights were 0), {@code y = clamp(rne((float) acc · M) + zp_y, lo, hi)},
 * acc = bias + Σ (q_x − zp_x)·w in int32. For one output row and a chunk of its columns, the KH input rows it reads
 * are prepared once, and a micro-kernel of {@code octet_qdirect.h} computes a tile of pixels × output channels
 * from broadcast pixel words and requantizes it in registers. Two variants: {@link Int8ConvTemplate#WIDEN} prepares
 * int16 differences (0 for padding) and multiplies 4 pixels × 8 channels with vpmaddwd (2·255·128 &lt; 2^31: always
 * exact); {@link Int8ConvTemplate#MADDUBS} keeps the u8 input (padding zp_x, −zp_x·Σw folded into the bias) and
 * multiplies 4 pixels × 16 channels with vpmaddubsw + vpmaddwd, valid only where the weights' pairs fit
 * ({@link Int8ConvWorkload#pairsFitMaddubs}, the same pairs as {@link Int8ConvTemplate#pairsFitMaddubs}).
 *
 * <p>Valid for ungrouped convolutions. Knobs (every listed value valid): {@code nc} output columns per chunk (the
 * parallel grain with the rows); {@code order} 0 = output-channel groups outer, 1 = pixel blocks outer;
 * {@code variant}.
 *
 * <p>Kernel parameters: buffers {@code in (u8 NCHW4c), w (packed, i16), bias (i32), mult (f32), out (NCHW4c)};
 * scalars {@code H, W, OH, OW, PT, PL, ZX, ZY, LO, HI} ({@link #scalars}); the parallel range is
 * {@code batch × OH × ceil(OW / nc)} ({@link #parallelRange}).
 */
public final class Int8DirectConvTemplate {
    public static final String NAME = "conv_int8_direct4c";
    /** Output pixels of a micro-kernel call. */
    static final int PIXELS = 4;
    /** Output channels of a widen micro-kernel call: two quads. */
    static final int PAIR = 8;
    /** Output channels of a maddubs micro-kernel call: four quads. */
    static final int GROUP = 16;

    private Int8DirectConvTemplate() {
    }

    /** Groups = 1, and no fused residual add (this template's epilogue has no residual stage). */
    static boolean isValid(Int8ConvWorkload w) {
        return w.groups() == 1 && !w.residual();
    }

    static boolean isValid(Int8ConvWorkload w, Config c) {
        return isValid(w) && (c.get("variant") == Int8ConvTemplate.WIDEN
                || c.get("variant") == Int8ConvTemplate.MADDUBS && w.pairsFitMaddubs());
    }

    public static KnobSpace knobs(Int8ConvWorkload w) {
        Knob variant = w.pairsFitMaddubs() ? Knob.of("variant", Int8ConvTemplate.MADDUBS, Int8ConvTemplate.WIDEN)
                : Knob.of("variant", Int8ConvTemplate.WIDEN);
        return new KnobSpace(NAME, List.of(Knob.of("nc", 32, 16, 64), Knob.of("order", 0, 1), variant));
    }

    /** Output channels one micro-kernel call computes in a variant. */
    static int tileChannels(Config c) {
        return c.get("variant") == Int8ConvTemplate.MADDUBS ? GROUP : PAIR;
    }

    /** Quads of 4 channels holding c channels. */
    public static int quads(int c) {
        return (c + 3) / 4;
    }

    /** Packed weights (int16 or s8 by variant) and per-channel constants, each padded to whole tiles. */
    public record Params(MemorySegment weights, int[] bias, float[] multiplier, int inputZeroPoint) {
    }

    /**
     * Packs one convolution's constants.
     *
     * @param weights s8 values, {@code [Cout][Cin][KH][KW]}
     * @param bias int32 per output channel, or null for none
     * @param multiplier M per output channel, finite
     * @param inputZeroPoint zp_x, 0..255
     * @throws IllegalArgumentException on sizes that do not match, a non-finite multiplier, a zero point out of
     *     range, or the maddubs variant for weights whose pairs do not fit
     */
    public static Params pack(Int8ConvWorkload w, Config c, byte[] weights, int[] bias, float[] multiplier,
            int inputZeroPoint) {
        if (!isValid(w)) {
            throw new IllegalArgumentException(NAME + " is not valid for grouped " + w.key());
        }
        boolean maddubs = c.get("variant") == Int8ConvTemplate.MADDUBS;
        if (maddubs && !Int8ConvTemplate.pairsFitMaddubs(w, weights)) {
            throw new IllegalArgumentException("the maddubs variant would saturate on these weights: a packed pair"
                    + " has |w0| + |w1| > 128");
        }
        int cout = w.outChannels();
        int cin = w.inChannels();
        Int8PackArguments.check(w.weightCount(), weights, cout, bias, multiplier, inputZeroPoint);
        int tile = tileChannels(c);
        int tiles = (cout + tile - 1) / tile;
        int cb = quads(cin);
        int khw = w.kernelH() * w.kernelW();
        // One layout for both: [tile][CB][KH][KW][tile channels][4 input channels].
        short[] packed = new short[tiles * cb * khw * tile * 4];
        int[] b = new int[tiles * tile];
        float[] m = new float[tiles * tile];
        for (int co = 0; co < cout; co++) {
            int sum = 0;
            for (int ci = 0; ci < cin; ci++) {
                for (int k = 0; k < khw; k++) {
                    int v = weights[(co * cin + ci) * khw + k];
                    packed[(((co / tile * cb + ci / 4) * khw + k) * tile + co % tile) * 4 + ci % 4] = (short) v;
                    sum += v;
                }
            }
            // The maddubs variant reads padding as zp_x: −zp_x·Σw (int32, wrapping as the kernel) cancels it.
            b[co] = (bias == null ? 0 : bias[co]) - (maddubs ? inputZeroPoint * sum : 0);
            m[co] = multiplier[co];
        }
        MemorySegment segment;
        if (maddubs) {
            byte[] bytes = new byte[packed.length];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = (byte) packed[i];
            }
            segment = MemorySegment.ofArray(bytes);
        } else {
            segment = MemorySegment.ofArray(packed);
        }
        return new Params(segment, b, m, inputZeroPoint);
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
        return Int8ConvScalars.values(h, w, oh, ow, pt, pl, p.inputZeroPoint(), outputZeroPoint, lo, hi);
    }

    public static LoopKernel build(Int8ConvWorkload w, Config c, String name) {
        if (!isValid(w, c)) {
            throw new IllegalArgumentException(c + " is not valid for " + w.key());
        }
        int nc = c.get("nc");
        int s = w.strideW();
        int cb = quads(w.inChannels());
        int ob = quads(w.outChannels());
        boolean maddubs = c.get("variant") == Int8ConvTemplate.MADDUBS;
        int tile = tileChannels(c);
        int tiles = (w.outChannels() + tile - 1) / tile;
        int khw = w.kernelH() * w.kernelW();
        long span = (long) (ConvGemmTemplate.roundUp(nc, PIXELS) - 1) * s + (long) (w.kernelW() - 1) * w.dilationW()
                + 1;

        Buffer in = Buffer.input("in", ScalarType.U8);
        Buffer wt = Buffer.input("w", maddubs ? ScalarType.I8 : ScalarType.I16);
        Buffer bias = Buffer.input("bias", ScalarType.I32);
        Buffer mult = Buffer.input("mult", ScalarType.F32);
        Buffer out = Buffer.output("out", w.signedOutput() ? ScalarType.I8 : ScalarType.U8);
        Buffer prep = Buffer.output("prep", maddubs ? ScalarType.U8 : ScalarType.I16);
        Int8ConvScalars sc = Int8ConvScalars.declare();
        Var nch = Var.i64("NCH");
        Var idx = Var.i64("idx");
        Var b = Var.i64("b");
        Var rem = Var.i64("rem");
        Var y = Var.i64("y");
        Var x0 = Var.i64("x0");
        Var n = Var.i64("n");
        Var op = Var.i64("op");
        Var p = Var.i64("p");

        int quadsPerTile = tile / 4;
        Stmt call = new Stmt.Eval(new Expr.Call(maddubs ? "octet_qd_maddubs_4x16" : "octet_qd_4x8", List.of(
                new Expr.AddressOf(prep, p.times(s * 4L)), of(span), of(cb),
                new Expr.AddressOf(wt, op.times((long) cb * khw * tile * 4)), new Expr.AddressOf(bias, op.times(tile)),
                new Expr.AddressOf(mult, op.times(tile)), sc.zy(), sc.lo(), sc.hi(), of(w.signedOutput() ? 1 : 0),
                new Expr.AddressOf(out, b.times(ob).plus(op.times(quadsPerTile)).times(sc.oh()).plus(y).times(sc.ow())
                        .plus(x0).plus(p).times(4)),
                sc.oh().times(sc.ow()).times(4),
                maddubs ? Expr.min(of(quadsPerTile), of(ob).minus(op.times(quadsPerTile)))
                        : op.times(2).plus(1).lt(of(ob)),
                Expr.min(of(PIXELS), n.minus(p)), of(w.kernelH()), of(w.kernelW()), of(s), of(w.dilationW()))));
        Stmt tileLoop = c.get("order") == 0
                ? Stmt.loop(op, tiles, new Stmt.For(p, of(0), n, PIXELS, Stmt.Kind.SERIAL, call))
                : new Stmt.For(p, of(0), n, PIXELS, Stmt.Kind.SERIAL, Stmt.loop(op, tiles, call));
        Stmt item = Stmt.seq(
                new Stmt.Declare(b, idx.div(sc.oh().times(nch))),
                new Stmt.Declare(rem, new Expr.Bin(Expr.Op.MOD, idx, sc.oh().times(nch))),
                new Stmt.Declare(y, rem.div(nch)),
                new Stmt.Declare(x0, new Expr.Bin(Expr.Op.MOD, rem, nch).times(nc)),
                new Stmt.Declare(n, Expr.min(of(nc), sc.ow().minus(x0))),
                new Stmt.Eval(new Expr.Call(maddubs ? "octet_qd_prep_u8" : "octet_qd_prep", new ArrayList<>(List.of(
                        new Expr.AddressOf(prep, of(0)),
                        new Expr.AddressOf(in, b.times((long) cb * 4).times(sc.h()).times(sc.wd())), of(cb), sc.h(),
                        sc.wd(), y.times(w.strideH()).minus(sc.pt()), of(w.dilationH()), of(w.kernelH()),
                        x0.times(s).minus(sc.pl()), of(span), sc.zx())))),
                tileLoop);
        Stmt body = Stmt.seq(
                new Stmt.Declare(nch, sc.ow().plus(nc - 1).div(of(nc))),
                new Stmt.LocalArray(prep, w.kernelH() * cb * span * 4,
                        new Stmt.For(idx, LoopKernel.BEGIN, LoopKernel.END, 1, Stmt.Kind.SERIAL, item)));
        return new LoopKernel(name, List.of(in, wt, bias, mult, out), sc.all(), body);
    }
}
