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
 * int8 convolution as GEMM, NCHW, exact (DESIGN.md, "Numerics"): u8 input with zero point zp_x, s8 weights per
 * output channel, int32 bias, fp32 multiplier M per output channel, u8 or s8 output
 * {@code y = clamp(rne((float) acc · M) + zp_y, lo, hi)} (a fused ReLU is lo = zp_y). For each block of NC output
 * pixels and each block of the reduction, the input patch is packed (im2col, padding = zp_x) into 4-way groups;
 * a micro-kernel of {@code octet_qgemm.h} (AMX: {@code octet_qamx.h}) multiplies the pre-packed weights with it and requantizes its tile in
 * registers after the last reduction block. The reduction runs over (q_x − zp_x)·q_w: Σ q_x·q_w is accumulated
 * and −zp_x·Σ q_w is folded into the packed bias, so padding (q_x = zp_x) contributes nothing.
 *
 * <p>Knobs: {@code nc} pixels per block (the parallel grain); {@code kc} reduction steps per packed block (rounded
 * to whole groups of 4 channels × kernel positions); {@code variant} {@link #MADDUBS} (valid only where the
 * weights' pairs fit, see {@link #pairsFitMaddubs}), {@link #WIDEN} (always exact), {@link #VNNI} (always exact,
 * valid only at an {@link IsaLevel} with VNNI, and the default there unless it has AMX) or {@link #AMX} (always
 * exact, valid only at {@link IsaLevel#X86_64_V4_AMX}, and the default there); {@code order} 0 = weight panels outer,
 * 1 = pixel panels outer. The overloads without a level build for {@link IsaLevel#defaultLevel}.
 *
 * <p>Kernel parameters: buffers {@code in (u8), w (packed), bias (i32), mult (f32), out (u8 or s8)}; scalars
 * {@code H, W, OH, OW, PT, PL, ZX, ZY, LO, HI} ({@link #scalars}); the parallel range is
 * {@code batch × ceil(OH·OW / nc)} pixel blocks × {@link #slices} output-channel slices ({@link #parallelRange}).
 *
 * <p>A {@link Int8ConvWorkload#residual residual} workload (octet.QLinearConvAdd) adds the residual stage to the
 * epilogue of every variant: after the requantization above (its own zp_y and [lo, hi]), the add's one formula
 * with the residual byte at the same position, {@code clamp(rne((y − ZA)·ma + (r − ZR)·mr) + ZO, OLO, OHI)}
 * (QuantMath.addRequantize); only that value is written. Its kernel takes two more buffers {@code res (u8, the
 * output's shape), addm (f32: ma, mr)} and five more scalars {@code ZA, ZR, ZO, OLO, OHI}
 * ({@link #residualScalars}).
 */
public final class Int8ConvTemplate {
    public static final String NAME = "conv_int8_gemm";
    /** Variant knob: vpmaddubsw + vpmaddwd, 4×16 tiles, s8 weights. */
    public static final int MADDUBS = 0;
    /** Variant knob: int16 widening + vpmaddwd, 4×16 tiles (two 4×8 halves), int16 weights. */
    public static final int WIDEN = 1;
    /** Variant knob: AVX-512 vpdpbusd, 4×64 tiles, s8 weights; exact for all weights; needs {@link IsaLevel#hasVnni}. */
    public static final int VNNI = 2;
    /**
     * Variant knob: AMX TDPBSUD, 32×32 tiles (2×2 int32 tiles of 16×16), s8 weights in their own layout
     * ({@link Int8AmxWeights}); exact for all weights; needs {@link IsaLevel#hasAmx}.
     */
    public static final int AMX = 3;
    /** Rows (output channels) of a micro-kernel tile and of a packed weight panel, both variants. */
    static final int MR = 4;
    /** Pixels of a micro-kernel tile and of a packed activation panel. */
    static final int NR = 16;
    /** Pixels of a VNNI tile: four 16-pixel panels, one zmm each. */
    static final int NR_VNNI = 64;
    /** Rows (output channels) and pixels of an AMX tile: two 16-row tiles each way. */
    static final int MR_AMX = 32;
    static final int NR_AMX = 32;
    /** Reduction groups (of 4 steps) of one AMX tile step: 64 bytes of a tile row. */
    static final int KQ_AMX = 16;

    private Int8ConvTemplate() {
    }

    public static KnobSpace knobs(Int8ConvWorkload w) {
        return knobs(w, IsaLevel.defaultLevel());
    }

    /** The knob space at one ISA level: the AMX or else the VNNI variant first (the default) where the level has it. */
    public static KnobSpace knobs(Int8ConvWorkload w, IsaLevel level) {
        List<Integer> variants = new ArrayList<>();
        if (level.hasAmx()) {
            variants.add(AMX);
        }
        if (level.hasVnni()) {
            variants.add(VNNI);
        }
        if (w.pairsFitMaddubs()) {
            variants.add(MADDUBS);
        }
        variants.add(WIDEN);
        // AMX's 32-pixel tiles do best on smaller pixel panels (ResNet-50 int8 at 1 thread: 17.8 ms at nc=64 against
        // 20.3 at 256; PP-OCRv4 rec 15.2 against 24.3; det equal), and smaller panels give more parallel work items
        Knob nc = level.hasAmx() ? Knob.of("nc", 64, 128, 256, 512) : Knob.of("nc", 256, 128, 64, 512);
        return new KnobSpace(NAME, List.of(nc, Knob.of("kc", 2048, 256, 512, 4096),
                new Knob("variant", variants), Knob.of("order", 1, 0)));
    }

    static boolean isValid(Int8ConvWorkload w, Config c) {
        return isValid(w, c, IsaLevel.defaultLevel());
    }

    static boolean isValid(Int8ConvWorkload w, Config c, IsaLevel level) {
        int v = c.get("variant");
        return v == WIDEN || v == MADDUBS && w.pairsFitMaddubs() || v == VNNI && level.hasVnni()
                || v == AMX && level.hasAmx();
    }

    /**
     * Whether vpmaddubsw is exact for these weights ({@code [Cout][Cin/g][KH][KW]}, s8): every pair of weights it
     * adds into one saturating int16, |w₂ᵢ| + |w₂ᵢ₊₁| ≤ 128 (255·128 &lt; 2^15). Checked on the packed layout
     * itself, so the pairs are exactly those the instruction sees.
     */
    public static boolean pairsFitMaddubs(Int8ConvWorkload w, byte[] weights) {
        short[] packed = Int8ConvPacking.packA(w, weights);
        for (int i = 0; i < packed.length; i += 2) {
            if (Math.abs(packed[i]) + Math.abs(packed[i + 1]) > 128) {
                return false;
            }
        }
        return true;
    }

    /**
     * One convolution's constants as the kernel takes them: packed weights (s8 or int16 by variant), the bias with
     * −zp_x·Σw folded in, the multipliers, each per group padded to whole tiles, and the input zero point they
     * were folded with.
     */
    public record Params(MemorySegment weights, int[] bias, float[] multiplier, int inputZeroPoint) {
    }

    /**
     * Packs one convolution's constants for a configuration.
     *
     * @param weights s8 values, {@code [Cout][Cin/g][KH][KW]}
     * @param bias int32 per output channel (QLinearConv's B), or null for none
     * @param multiplier M = s_x·s_w/s_y per output channel ({@code QuantMath.multiplier}), finite
     * @param inputZeroPoint zp_x, 0..255
     * @throws IllegalArgumentException on sizes that do not match, a non-finite multiplier, or the maddubs variant
     *     for weights whose pairs do not fit
     */
    public static Params pack(Int8ConvWorkload w, Config c, byte[] weights, int[] bias, float[] multiplier,
            int inputZeroPoint) {
        if (c.get("variant") == MADDUBS && !pairsFitMaddubs(w, weights)) {
            throw new IllegalArgumentException("the maddubs variant would saturate on these weights: a packed pair"
                    + " has |w0| + |w1| > 128");
        }
        return packUnchecked(w, c, weights, bias, multiplier, inputZeroPoint);
    }

    /** {@link #pack} without the pair check: only for the test that shows why the check matters. */
    static Params packUnchecked(Int8ConvWorkload w, Config c, byte[] weights, int[] bias, float[] multiplier,
            int inputZeroPoint) {
        return Int8ConvPacking.pack(w, c.get("variant"), weights, bias, multiplier, inputZeroPoint);
    }

    /**
     * Number of parallel work items for one run: pixel blocks × output-channel slices, as
     * {@link ConvGemmTemplate#parallelRange} cuts them (a range packs each block it touches once and multiplies
     * the rows of the slices it owns), one micro-kernel row tile per slice ({@link #slices}).
     */
    public static long parallelRange(Int8ConvWorkload w, int batch, int oh, int ow, Config c) {
        long p = (long) oh * ow;
        return batch * ((p + c.get("nc") - 1) / c.get("nc")) * rowSlices(w, c).slices();
    }

    /** Output-channel slices per pixel block: one per row tile of the configuration's micro-kernel. */
    public static int slices(Int8ConvWorkload w, Config c) {
        return rowSlices(w, c).slices();
    }

    private static OwnedSlices rowSlices(Int8ConvWorkload w, Config c) {
        return OwnedSlices.tiling(w.outPerGroup(), c.get("variant") == AMX ? MR_AMX : MR);
    }

    /**
     * The kernel's scalar arguments: sizes and top/left pads of one run, the zero points, and the clamp range
     * [lo, hi] (the output type's, or narrower for a fused ReLU/Clip).
     */
    public static long[] scalars(Params p, int h, int w, int oh, int ow, int pt, int pl, int outputZeroPoint,
            int lo, int hi) {
        return Int8ConvScalars.values(h, w, oh, ow, pt, pl, p.inputZeroPoint(), outputZeroPoint, lo, hi);
    }

    /**
     * The scalars of a residual workload's kernel: {@link #scalars}' (the convolution's own requantization), then
     * the add's: how it reads the convolution's value (zero point za), the residual's zero point zr, and the add's
     * output zero point and clamp range [olo, ohi].
     */
    public static long[] residualScalars(long[] convScalars, int za, int zr, int zo, int olo, int ohi) {
        long[] all = java.util.Arrays.copyOf(convScalars, convScalars.length + 5);
        System.arraycopy(new long[] {za, zr, zo, olo, ohi}, 0, all, convScalars.length, 5);
        return all;
    }

    /** The add's two fp32 multipliers of a residual workload ({@code addm}): s_a / s_c and s_r / s_c. */
    public static float[] residualMultipliers(float scaleA, float scaleR, float scaleC) {
        return new float[] {dev.octet.ir.op.quant.QuantMath.addMultiplier(scaleA, scaleC),
                dev.octet.ir.op.quant.QuantMath.addMultiplier(scaleR, scaleC)};
    }

    public static LoopKernel build(Int8ConvWorkload w, Config c, String name) {
        return build(w, c, name, IsaLevel.defaultLevel());
    }

    /** The kernel for one ISA level: its library must be compiled for that level (or a later one). */
    public static LoopKernel build(Int8ConvWorkload w, Config c, String name, IsaLevel level) {
        if (!isValid(w, c, level)) {
            throw new IllegalArgumentException(c + " is not valid for " + w.key() + " at " + level);
        }
        int variant = c.get("variant");
        boolean amx = variant == AMX;
        int mr = amx ? MR_AMX : MR;
        int nr = switch (variant) {
            case VNNI -> NR_VNNI;
            case AMX -> NR_AMX;
            default -> NR;
        };
        int nc = c.get("nc");
        // VNNI and AMX tiles read whole 64- or 32-pixel rows of B: the padded block is a multiple of the tile
        int ncp = ConvGemmTemplate.roundUp(nc, nr);
        // A cache line more than the panels: the rows a micro-kernel walks do not all fall into the same few L1
        // sets (a power-of-two stride would), and the packer's 32-byte copies have slack.
        int ldb = ncp * 4 + 64;
        int khw = w.kernelH() * w.kernelW();
        int groups4 = w.reductionGroups();
        int kqb = groupsPerBlock(w, c);
        boolean oneBlock = kqb == groups4;
        int m = w.outPerGroup();
        int mp = ConvGemmTemplate.roundUp(m, mr);
        int tileInts = variant == WIDEN ? mr * NR * 2 : mr * nr;
        // the AMX weights hold whole 16-group tile steps; B rows past a block's groups meet zero weights
        int weightGroups = amx ? ConvGemmTemplate.roundUp(groups4, KQ_AMX) : groups4;
        int bpRows = amx ? ConvGemmTemplate.roundUp(kqb, KQ_AMX) : kqb;

        Buffer in = Buffer.input("in", ScalarType.U8);
        Buffer wt = Buffer.input("w", variant == WIDEN ? ScalarType.I16 : ScalarType.I8);
        Buffer bias = Buffer.input("bias", ScalarType.I32);
        Buffer mult = Buffer.input("mult", ScalarType.F32);
        Buffer out = Buffer.output("out", w.signedOutput() ? ScalarType.I8 : ScalarType.U8);
        Buffer res = Buffer.input("res", ScalarType.U8);
        Buffer addm = Buffer.input("addm", ScalarType.F32);
        Buffer bp = Buffer.output("bp", ScalarType.U8);
        Buffer row = Buffer.output("row", ScalarType.U8);
        Buffer part = Buffer.output("part", ScalarType.I32);
        Int8ConvScalars sc = Int8ConvScalars.declare();
        Var p = Var.i64("P");
        Var nb = Var.i64("NB");
        Var idx = Var.i64("idx");
        Var b = Var.i64("b");
        Var n0 = Var.i64("n0");
        Var nlen = Var.i64("nlen");
        Var g = Var.i64("g");
        Var mlo = Var.i64("mlo");
        Var mhi = Var.i64("mhi");
        Var k0 = Var.i64("k0");
        Var kq = Var.i64("kq");
        Var i0 = Var.i64("i0");
        Var j = Var.i64("j");
        Var amxOn = Var.i64("amx");

        Expr image = b.times(w.inChannels()).plus(g.times(w.inPerGroup()));
        Expr pack = w.pointwise()
                ? call("octet_qpack_pointwise", new Expr.AddressOf(bp, of(0)), of(ldb),
                        new Expr.AddressOf(in, image.times(p)), p, of(w.inPerGroup()), n0, nlen, k0, kq, sc.zx())
                : call("octet_qpack_im2col", new Expr.AddressOf(bp, of(0)), of(ldb), new Expr.AddressOf(row, of(0)),
                        new Expr.AddressOf(in, image.times(sc.h()).times(sc.wd())), sc.h(), sc.wd(), sc.ow(), sc.pt(),
                        sc.pl(), of(w.inPerGroup()), n0, nlen, k0.div(of(khw)), kq, sc.zx(), of(w.kernelH()),
                        of(w.kernelW()), of(w.strideH()), of(w.strideW()), of(w.dilationH()), of(w.dilationW()));
        Expr partTile = oneBlock ? of(0) : i0.div(of(mr)).times(ncp / nr).plus(j.div(of(nr))).times(tileInts);
        String micro = switch (variant) {
            case MADDUBS -> "octet_qgemm_maddubs_4x16";
            case VNNI -> "octet_qgemm_vnni_4x64";
            case AMX -> "octet_qgemm_amx_32x32";
            default -> "octet_qgemm_widen_4x16";
        };
        Expr outIndex = b.times(w.outChannels()).plus(g.times(m)).plus(i0).times(p).plus(n0).plus(j);
        Expr tile = call(micro, kq,
                new Expr.AddressOf(wt, g.times((long) mp * weightGroups * 4).plus(i0.times(weightGroups * 4L))
                        .plus(k0.times(mr * 4L))),
                new Expr.AddressOf(bp, j.times(4)), of(ldb), new Expr.AddressOf(part, partTile),
                oneBlock ? of(1) : new Expr.Bin(Expr.Op.EQ, k0, of(0)),
                oneBlock ? of(1) : new Expr.Bin(Expr.Op.EQ, k0.plus(kq), of(groups4)),
                new Expr.AddressOf(bias, g.times(mp).plus(i0)), new Expr.AddressOf(mult, g.times(mp).plus(i0)),
                sc.zy(), sc.lo(), sc.hi(), of(w.signedOutput() ? 1 : 0),
                new Expr.AddressOf(out, outIndex),
                p, Expr.min(of(mr), of(m).minus(i0)), Expr.min(of(nr), nlen.minus(j)));
        if (amx) {
            List<Expr> args = new ArrayList<>(((Expr.Call) tile).args());
            args.add(amxOn);
            tile = new Expr.Call(micro, args);
        }
        List<Var> residualScalars = List.of(Var.i64("ZA"), Var.i64("ZR"), Var.i64("ZO"), Var.i64("OLO"),
                Var.i64("OHI"));
        if (w.residual()) { // the residual has the output's layout: its bytes at the output's index
            List<Expr> args = new ArrayList<>(((Expr.Call) tile).args());
            args.add(new Expr.AddressOf(res, outIndex));
            args.add(new Expr.AddressOf(addm, of(0)));
            args.addAll(residualScalars);
            tile = new Expr.Call(micro + "_r", args);
        }
        Stmt eval = new Stmt.Eval((Expr.Call) tile);
        Stmt tiles = c.get("order") == 0
                ? new Stmt.For(i0, mlo, mhi, mr, Stmt.Kind.SERIAL, new Stmt.For(j, of(0), nlen, nr,
                        Stmt.Kind.SERIAL, eval))
                : new Stmt.For(j, of(0), nlen, nr, Stmt.Kind.SERIAL, new Stmt.For(i0, mlo, mhi, mr,
                        Stmt.Kind.SERIAL, eval));
        // The residual block the epilogues will read (m rows × nlen bytes, rows P apart), fetched toward L2 before
        // packing and multiplying: read row by row at the end of each tile, it misses on every row otherwise (a
        // 64→256 1×1 at 56×56 took 455 µs instead of 192 without the residual stage; the separate add ~250 µs)
        Stmt prefetchResidual = new Stmt.Eval((Expr.Call) call("octet_qprefetch_rows",
                new Expr.AddressOf(res, b.times(w.outChannels()).plus(g.times(m)).plus(mlo).times(p).plus(n0)), p,
                mhi.minus(mlo), nlen));
        Stmt kLoop = new Stmt.For(k0, of(0), of(groups4), kqb, Stmt.Kind.SERIAL, Stmt.seq(
                new Stmt.Declare(kq, Expr.min(of(kqb), of(groups4).minus(k0))),
                new Stmt.Eval((Expr.Call) pack), tiles));
        // idx walks the pixel blocks the range touches; [mlo, mhi) are the rows of the slices it owns in each
        // balanced blocks of whole tiles (BalancedBlocks): none longer than ncp, which the buffers hold
        List<Stmt> block = new ArrayList<>(List.of(new Stmt.Declare(b, idx.div(nb))));
        block.addAll(new BalancedBlocks(nr).declare(new Expr.Bin(Expr.Op.MOD, idx, nb), nb, p, n0, nlen));
        block.add(Stmt.loop(g, w.groups(), w.residual() ? Stmt.seq(prefetchResidual, kLoop) : kLoop));
        Stmt blocks = rowSlices(w, c).blocks(idx, mlo, mhi, block);
        long partSize = oneBlock ? tileInts : (long) (mp / mr) * (ncp / nr) * tileInts;
        Stmt locals = new Stmt.LocalArray(part, partSize, blocks);
        if (!w.pointwise()) {
            long scratch = ((long) (ncp - 1) * w.strideW() + (long) (w.kernelW() - 1) * w.dilationW() + 1) * 4 + 32;
            locals = new Stmt.LocalArray(row, scratch, locals);
        }
        Stmt body = Stmt.seq(
                new Stmt.Declare(p, sc.oh().times(sc.ow())),
                new Stmt.Declare(nb, p.plus(nc - 1).div(of(nc))),
                new Stmt.LocalArray(bp, (long) bpRows * ldb, locals));
        if (amx) { // tiles are configured per thread, for this call: the work range runs on one thread
            body = Stmt.seq(new Stmt.Declare(amxOn, call("octet_amx_begin")), body,
                    new Stmt.Eval((Expr.Call) call("octet_amx_end", amxOn)));
        }
        List<Buffer> buffers = new ArrayList<>(List.of(in, wt, bias, mult, out));
        List<Var> scalars = new ArrayList<>(sc.all());
        if (w.residual()) {
            buffers.addAll(List.of(res, addm));
            scalars.addAll(residualScalars);
        }
        return new LoopKernel(name, buffers, scalars, body);
    }

    /**
     * Reduction groups per packed block: whole quads of channels × kernel positions, about kc steps. The AMX
     * variant's blocks (but the last) are also whole 16-group tile steps: a multiple of lcm(kh·kw, 16) groups.
     */
    static int groupsPerBlock(Int8ConvWorkload w, Config c) {
        int khw = w.kernelH() * w.kernelW();
        int quads = Math.max(1, c.get("kc") / (4 * khw));
        if (c.get("variant") == AMX) {
            int quadsPerStep = KQ_AMX / gcd(khw, KQ_AMX);
            quads = ConvGemmTemplate.roundUp(quads, quadsPerStep);
        }
        return Math.min(w.quads(), quads) * khw;
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    private static Expr call(String function, Expr... args) {
        return new Expr.Call(function, new ArrayList<>(List.of(args)));
    }
}
