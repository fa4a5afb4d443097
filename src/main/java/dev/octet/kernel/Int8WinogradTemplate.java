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
 * Exact int8 Winograd F(2×2, 3×3), NCHW, for 3×3 stride-1 dilation-1 ungrouped convolutions: bit-identical to
 * {@link Int8ConvTemplate} and the reference QLinearConv (DESIGN.md, "Numerics", invariant 4). With G' = 2G the
 * transformed weights U = G' w G'ᵀ are integers (|U| ≤ 9·128, int16); the transformed inputs V = Bᵀ d B of
 * d = q_x − zp_x (0 for padding) are integers (|V| ≤ 4·255, int16); their products summed over input channels
 * (int32, {@code vpmaddwd}) and the output transform give exactly 4·Y, Y the direct convolution's sum, as long as
 * it fits int32; 4·Y is divided by 4 exactly (an arithmetic shift of a multiple of 4), then the bias is added and
 * the result requantized as {@code octet_qgemm.h} does. Folding 1/4 into the fp32 multiplier is not used: it is
 * not bit-identical in general. The C micro-kernels are in {@code octet_qwino.h}.
 *
 * <p>Valid ({@link #isValid}) for groups = 1, 3×3, stride 1, dilation 1, and at most {@link #MAX_CHANNELS} input
 * channels: then |Y| ≤ C·9·255·128 &lt; 2^29, so the wrapping int32 sums (exact modulo 2^32) give 4·Y itself.
 *
 * <p>Knobs: {@code tiles} 2×2 output tiles per work item (the parallel grain; the transformed block of inputs is
 * 16·C·(tiles + 16) int16; with AVX-512 VNNI, 32 tiles per micro-kernel call), {@code cob} output channels per
 * pass of the channel sums (their int32 block is 16·cob·tiles). Kernel parameters as {@link Int8ConvTemplate}'s: buffers {@code in (u8), w (packed i16),
 * bias (i32), mult (f32), out (u8 or s8)}, scalars {@code H, W, OH, OW, PT, PL, ZX, ZY, LO, HI}
 * ({@link Int8ConvTemplate#scalars}); the parallel range is batch × ceil(tiles of the image / tiles)
 * ({@link #parallelRange}).
 */
public final class Int8WinogradTemplate {
    public static final String NAME = "conv_int8_winograd_f2x3";
    /** The most input channels for which 4·Y is sure to fit int32: C·9·255·128 &lt; 2^29. */
    public static final int MAX_CHANNELS = (int) (((1L << 29) - 1) / (9L * 255 * 128));
    /** G' = 2G of F(2×2, 3×3): integer entries. */
    static final int[][] G2 = {{2, 0, 0}, {1, 1, 1}, {1, -1, 1}, {0, 0, 2}};
    /** Tiles of one micro-kernel call: the tile knob's values are multiples of it. */
    static final int NT = 16;
    /** Output channels of one micro-kernel call: the channel-block knob's values are multiples of it. */
    static final int MR = 4;

    private Int8WinogradTemplate() {
    }

    /**
     * Whether the workload's shape is one this template computes exactly (any weights); never with a fused residual
     * add (this template's epilogue has no residual stage).
     */
    static boolean isValid(Int8ConvWorkload w) {
        return !w.residual() && w.groups() == 1 && w.kernelH() == 3 && w.kernelW() == 3 && w.strideH() == 1 && w.strideW() == 1
                && w.dilationH() == 1 && w.dilationW() == 1 && w.inChannels() <= MAX_CHANNELS;
    }

    /**
     * Whether the template builds c for w: a valid workload, and knobs it can print (tiles a multiple of 16, channel
     * blocks a multiple of 4; other knobs, such as the tags of planted or external candidates, are ignored).
     */
    static boolean isValid(Int8ConvWorkload w, Config c) {
        if (!isValid(w) || !c.template().equals(NAME) || !c.values().containsKey("tiles")
                || !c.values().containsKey("cob")) {
            return false;
        }
        int tiles = c.get("tiles");
        int cob = c.get("cob");
        return tiles > 0 && tiles % NT == 0 && tiles <= 1024 && cob > 0 && cob % MR == 0 && cob <= 1024;
    }

    public static KnobSpace knobs(Int8ConvWorkload w) {
        return new KnobSpace(NAME, List.of(Knob.of("tiles", 32, 16, 64), Knob.of("cob", 32, 16, 64)));
    }

    /**
     * The transformed weights U = G' w G'ᵀ per output and input channel, {@code [Cout][Cin][16]} row-major 4×4,
     * each 4× the fractional transform's value.
     */
    static int[] transformWeights(Int8ConvWorkload w, byte[] weights) {
        int cin = w.inChannels();
        int[] u = new int[w.outChannels() * cin * 16];
        for (int oc = 0; oc < w.outChannels(); oc++) {
            for (int c = 0; c < cin; c++) {
                int base = (oc * cin + c) * 9;
                for (int i = 0; i < 4; i++) {
                    for (int j = 0; j < 4; j++) {
                        int s = 0;
                        for (int k = 0; k < 3; k++) {
                            for (int l = 0; l < 3; l++) {
                                s += G2[i][k] * weights[base + k * 3 + l] * G2[j][l];
                            }
                        }
                        u[(oc * cin + c) * 16 + i * 4 + j] = s;
                    }
                }
            }
        }
        return u;
    }

    /**
     * Packs one convolution's constants: the transformed weights in the layout of {@code octet_qwino.h}
     * ({@code [pos][Cout/4][Cin/2][4][2]} int16, padding 0), the bias as it is (padding is d = 0, nothing to fold)
     * and the multipliers, both padded to whole panels.
     *
     * @param weights s8 values, {@code [Cout][Cin][3][3]}
     * @param bias int32 per output channel, or null for none
     * @param multiplier M per output channel, finite
     * @param inputZeroPoint zp_x, 0..255
     * @throws IllegalArgumentException for a workload the template is not valid for, sizes that do not match, a
     *     non-finite multiplier or a zero point out of range
     */
    public static Int8ConvTemplate.Params pack(Int8ConvWorkload w, Config c, byte[] weights, int[] bias,
            float[] multiplier, int inputZeroPoint) {
        if (!isValid(w) || !c.template().equals(NAME)) {
            throw new IllegalArgumentException(c + " is not valid for " + w.key());
        }
        int cout = w.outChannels();
        Int8PackArguments.check(w.weightCount(), weights, cout, bias, multiplier, inputZeroPoint);
        return packTransformed(w, transformWeights(w, weights), bias, multiplier, inputZeroPoint);
    }

    /**
     * Packs already transformed weights {@code [Cout][Cin][16]} (each within int16): {@link #pack}'s second half,
     * open to tests that plant wrong transforms.
     */
    static Int8ConvTemplate.Params packTransformed(Int8ConvWorkload w, int[] u, int[] bias, float[] multiplier,
            int inputZeroPoint) {
        int cin = w.inChannels();
        int cout = w.outChannels();
        int c2 = (cin + 1) / 2;
        int co4 = (cout + MR - 1) / MR;
        short[] packed = new short[16 * co4 * c2 * MR * 2];
        for (int oc = 0; oc < cout; oc++) {
            for (int c = 0; c < cin; c++) {
                for (int pos = 0; pos < 16; pos++) {
                    int v = u[(oc * cin + c) * 16 + pos];
                    if (v != (short) v) {
                        throw new IllegalArgumentException("transformed weight " + v + " does not fit int16");
                    }
                    packed[(((pos * co4 + oc / MR) * c2 + c / 2) * MR + oc % MR) * 2 + c % 2] = (short) v;
                }
            }
        }
        int[] b = new int[co4 * MR];
        float[] m = new float[co4 * MR];
        for (int oc = 0; oc < cout; oc++) {
            if (!Float.isFinite(multiplier[oc])) {
                throw new IllegalArgumentException("multiplier of channel " + oc + " is " + multiplier[oc]);
            }
            b[oc] = bias == null ? 0 : bias[oc];
            m[oc] = multiplier[oc];
        }
        return new Int8ConvTemplate.Params(MemorySegment.ofArray(packed), b, m, inputZeroPoint);
    }

    /** Number of parallel work items for one run: blocks of tiles per image, times the batch. */
    public static long parallelRange(int batch, int oh, int ow, Config c) {
        long tiles = (long) ((oh + 1) / 2) * ((ow + 1) / 2);
        return batch * ((tiles + c.get("tiles") - 1) / c.get("tiles"));
    }

    /** The kernel; its library must be compiled for x86-64-v3 (AVX2) or later. */
    public static LoopKernel build(Int8ConvWorkload w, Config c, String name) {
        if (!isValid(w, c)) {
            throw new IllegalArgumentException(c + " is not valid for " + w.key());
        }
        int tiles = c.get("tiles");
        int cob = c.get("cob");
        int cin = w.inChannels();
        int cout = w.outChannels();
        int c2 = (cin + 1) / 2;
        Buffer in = Buffer.input("in", ScalarType.U8);
        Buffer wt = Buffer.input("w", ScalarType.I16);
        Buffer bias = Buffer.input("bias", ScalarType.I32);
        Buffer mult = Buffer.input("mult", ScalarType.F32);
        Buffer out = Buffer.output("out", w.signedOutput() ? ScalarType.I8 : ScalarType.U8);
        Buffer v = Buffer.output("v", ScalarType.I16);
        Buffer m = Buffer.output("m", ScalarType.I32);
        Int8ConvScalars sc = Int8ConvScalars.declare();
        WinogradBlocks blk = WinogradBlocks.declare();
        List<Expr> args = new ArrayList<>(List.of(
                new Expr.AddressOf(in, blk.b().times(cin).times(sc.h()).times(sc.wd())), new Expr.AddressOf(wt, of(0)),
                new Expr.AddressOf(bias, of(0)), new Expr.AddressOf(mult, of(0)),
                new Expr.AddressOf(out, blk.b().times(cout).times(sc.oh()).times(sc.ow())), of(cin), of(cout)));
        args.addAll(sc.all()); // the block function takes all the kernel's scalars, in the kernel's order
        args.addAll(List.of(blk.t0(), blk.tlen(), of(tiles), of(cob), new Expr.AddressOf(v, of(0)),
                new Expr.AddressOf(m, of(0))));
        Expr block = new Expr.Call("octet_qwino_block", args);
        Stmt items = blk.loop(tiles, new Stmt.Eval((Expr.Call) block));
        Stmt body = Stmt.seq(
                new Stmt.Declare(blk.nt(), sc.oh().plus(1).div(of(2)).times(sc.ow().plus(1).div(of(2)))),
                blk.declareCount(tiles),
                new Stmt.LocalArray(v, 16L * c2 * (tiles + NT) * 2, new Stmt.LocalArray(m, 16L * cob * tiles, items)));
        return new LoopKernel(name, List.of(in, wt, bias, mult, out), sc.all(), body);
    }
}
