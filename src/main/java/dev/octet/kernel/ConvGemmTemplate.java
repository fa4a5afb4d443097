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
 * fp32 convolution as GEMM, NCHW: for each block of NC output pixels and KC reduction steps, the input patch
 * (im2col) is packed into NR-wide panels, then the 6×16 FMA micro-kernel multiplies the pre-packed weights with
 * them; bias, residual and activation are applied by the 6×64 tile to its registers before its last stores where
 * {@link TileEpilogue} covers the epilogue, else in a pass over the block while it is in cache. 1×1 stride-1
 * unpadded convolutions pack contiguous rows (no im2col). Valid for any group count; depthwise convolutions have a
 * better template.
 *
 * <p>Knobs: {@code nc} pixels per block (the parallel grain), {@code kc} reduction steps per packed block,
 * {@code order} 0 = weight panels outer, 1 = pixel panels outer, {@code tile} the micro-kernel:
 * {@link #TILE_AVX2} (6×16 on ymm) or {@link #TILE_AVX512} (6×64 on zmm, valid only at a level with AVX-512 and
 * the default there). Both read the same packed weights. The overloads without a level build for
 * {@link IsaLevel#defaultLevel}.
 *
 * <p>Kernel parameters: buffers {@code in, w, [bias], [res], out}; scalars {@code H, W, OH, OW, PT, PL}; the
 * parallel range is {@code batch × ceil(OH·OW / nc)} pixel blocks × {@link #slices} output-channel slices
 * ({@link #parallelRange}).
 */
public final class ConvGemmTemplate {
    public static final String NAME = "conv_gemm";
    /** Rows of a packed weight panel: the layout {@link #packWeights} writes and every conv-as-GEMM kernel reads. */
    public static final int MR = 6;
    static final int NR = 16;
    /** Pixels of an AVX-512 tile: four packed 16-wide panels. */
    static final int NR512 = 64;
    /** Tile knob: the AVX2 6×16 micro-kernel. */
    public static final int TILE_AVX2 = 0;
    /** Tile knob: the AVX-512 6×64 micro-kernel (four 16-wide panels of B per tile). */
    public static final int TILE_AVX512 = 1;

    private ConvGemmTemplate() {
    }

    public static KnobSpace knobs(ConvWorkload w) {
        return knobs(w, IsaLevel.defaultLevel());
    }

    public static KnobSpace knobs(ConvWorkload w, IsaLevel level) {
        return new KnobSpace(NAME, List.of(Knob.of("nc", 256, 128, 512, 1024, 64), Knob.of("kc", 256, 128, 512, 64),
                Knob.of("order", 0, 1), tiles(level)));
    }

    /** The tile knob of a level: the AVX-512 micro-kernel first where the level has it. */
    static Knob tiles(IsaLevel level) {
        return level.hasAvx512() ? Knob.of("tile", TILE_AVX512, TILE_AVX2) : Knob.of("tile", TILE_AVX2);
    }

    static boolean isValid(ConvWorkload w) {
        return true;
    }

    /** A tile the level has, and blocks of whole tiles ({@link BalancedBlocks} keeps every block within nc). */
    static boolean isValid(ConvWorkload w, Config c, IsaLevel level) {
        boolean zmm = c.get("tile") == TILE_AVX512;
        return (c.get("tile") == TILE_AVX2 || zmm && level.hasAvx512()) && c.get("nc") > 0
                && c.get("nc") % (zmm ? NR512 : NR) == 0;
    }

    /**
     * Whether the kernel may run with {@code out} and {@code res} one array: the residual's, where the conv is its
     * last reader, so that the output lands on cache lines the tiles have just read instead of a buffer that must
     * first come from memory (ResNet-50's expand convs write 0.8–3.2 MB each). It may where each output element is
     * stored once, by the tile that has just read its residual: the 6×64 tile applies the epilogue in registers
     * ({@link TileEpilogue} covers it) and one reduction block covers the whole reduction ({@code kc ≥ K}; with
     * more, the first block's partial sums would overwrite residuals that the last block has yet to add). Both
     * buffers of such a kernel are printed without {@code restrict}.
     */
    public static boolean writesOverResidual(ConvWorkload w, Config c) {
        return w.epilogue().hasResidual() && c.get("tile") == TILE_AVX512 && TileEpilogue.of(w.epilogue()) != null
                && c.get("kc") >= w.reduction();
    }

    /** Weights [Cout][Cin/g][KH][KW] → per group, MR-row panels over the reduction, zero-padded to a multiple of MR. */
    public static float[] packWeights(ConvWorkload w, float[] weights) {
        int m = w.outPerGroup();
        int mp = roundUp(m, MR);
        int k = w.reduction();
        float[] packed = new float[w.groups() * mp * k];
        for (int g = 0; g < w.groups(); g++) {
            for (int row = 0; row < m; row++) {
                int panel = row / MR;
                int r = row % MR;
                for (int kk = 0; kk < k; kk++) {
                    packed[g * mp * k + panel * MR * k + kk * MR + r] = weights[(g * m + row) * k + kk];
                }
            }
        }
        return packed;
    }

    /**
     * Number of parallel work items for one run: {@code batch × ceil(OH·OW / nc) × slices}, item {@code idx} being
     * pixel block {@code idx / slices} (batch-major) and output-channel slice {@code idx % slices}, one MR-row
     * weight panel per slice ({@link #slices}). A work range [begin, end) is cut into whole pixel blocks: each
     * block is packed once and multiplied with the rows of the slices the range covers, so one thread running
     * every item packs as often as without slices, while two threads on a 14×14 layer (one pixel block) split its
     * output channels instead of one of them doing all the work.
     */
    public static long parallelRange(ConvWorkload w, int batch, int oh, int ow, Config c) {
        long p = (long) oh * ow;
        return batch * ((p + c.get("nc") - 1) / c.get("nc")) * rowSlices(w).slices();
    }

    /** Output-channel slices per pixel block: one per MR-row weight panel of a group. */
    public static int slices(ConvWorkload w) {
        return rowSlices(w).slices();
    }

    private static OwnedSlices rowSlices(ConvWorkload w) {
        return OwnedSlices.tiling(w.outPerGroup(), MR);
    }

    public static LoopKernel build(ConvWorkload w, Config c, String name) {
        return build(w, c, name, IsaLevel.defaultLevel());
    }

    /** The kernel for one ISA level: its library must be compiled for that level (or a later one). */
    public static LoopKernel build(ConvWorkload w, Config c, String name, IsaLevel level) {
        if (!isValid(w, c, level)) {
            throw new IllegalArgumentException(c + " is not valid for " + w.key() + " at " + level);
        }
        boolean zmm = c.get("tile") == TILE_AVX512;
        int nr = zmm ? NR512 : NR;
        int nc = c.get("nc");
        int kc = c.get("kc");
        Buffer in = Buffer.input("in", ScalarType.F32);
        Buffer wt = Buffer.input("w", ScalarType.F32);
        Buffer bias = Buffer.input("bias", ScalarType.F32);
        boolean overResidual = writesOverResidual(w, c);
        Buffer res = shareIf(overResidual, Buffer.input("res", ScalarType.F32));
        Buffer out = shareIf(overResidual, Buffer.output("out", ScalarType.F32));
        Buffer bp = Buffer.output("bp", ScalarType.F32);
        ConvScalars sc = ConvScalars.declare();
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
        Var klen = Var.i64("klen");
        int m = w.outPerGroup();
        int k = w.reduction();
        long mp = roundUp(m, MR);

        Buffer iy = Buffer.output("iy", ScalarType.I32);
        Buffer ix = Buffer.output("ix", ScalarType.I32);
        Stmt pack = w.pointwise() ? packPointwise(w, in, bp, b, g, k0, klen, n0, nlen, p)
                : packIm2col(w, in, bp, iy, ix, b, g, k0, klen, nlen, sc.h(), sc.wd());
        Var i0 = Var.i64("i0");
        Var j = Var.i64("j");
        Expr aPanel = new Expr.AddressOf(wt, g.times(mp * k).plus(i0.times(k)).plus(k0.times(MR)));
        Expr cTile = new Expr.AddressOf(out, b.times(w.outChannels()).plus(g.times(m)).plus(i0).times(p).plus(n0)
                .plus(j));
        Expr rowsLeft = Expr.min(of(MR), of(m).minus(i0));
        Expr colsLeft = Expr.min(of(nr), nlen.minus(j));
        Expr accumulate = new Expr.Bin(Expr.Op.LT, of(0), k0);
        TileEpilogue fused = zmm ? TileEpilogue.of(w.epilogue()) : null;
        Expr bPanel = new Expr.AddressOf(bp, j.times(klen.plus(1)));
        Expr call;
        if (zmm) {
            // a fused epilogue rides on the last reduction block's stores, while the tile is in registers
            Expr last = new Expr.Bin(Expr.Op.EQ, k0.plus(klen), of(k));
            Expr pixel = b.times(w.outChannels()).plus(g.times(m)).plus(i0).times(p).plus(n0).plus(j);
            boolean hasBias = fused != null && w.epilogue().hasBias();
            boolean hasRes = fused != null && w.epilogue().hasResidual();
            call = new Expr.Call("octet_sgemm512_6x64_epi", List.of(klen, aPanel, bPanel, panelStride(klen), cTile,
                    p, rowsLeft, colsLeft, accumulate,
                    fused == null ? of(0) : new Expr.Select(last, of(fused.flags()), of(0)),
                    hasBias ? new Expr.AddressOf(bias, g.times(m).plus(i0)) : of(0),
                    hasRes ? new Expr.AddressOf(res, pixel) : of(0),
                    Expr.f32(fused == null ? 0 : fused.lo()), Expr.f32(fused == null ? 0 : fused.hi()),
                    new Expr.AddressOf(wt, g.times(mp * k).plus(Expr.min(i0.plus(MR), of(mp - MR)).times(k))
                            .plus(k0.times(MR)))));
        } else {
            call = new Expr.Call("octet_sgemm_6x16_edge", List.of(klen, aPanel, bPanel, cTile, p, rowsLeft,
                    colsLeft, accumulate));
        }
        Stmt tile = new Stmt.Eval((Expr.Call) call);
        Stmt rows = new Stmt.For(i0, mlo, mhi, MR, Stmt.Kind.SERIAL, tile);
        Stmt gemm = c.get("order") == 0
                ? new Stmt.For(i0, mlo, mhi, MR, Stmt.Kind.SERIAL, new Stmt.For(j, of(0), nlen, nr, Stmt.Kind.SERIAL, tile))
                : new Stmt.For(j, of(0), nlen, nr, Stmt.Kind.SERIAL, rows);
        Stmt kLoop = new Stmt.For(k0, of(0), of(k), kc, Stmt.Kind.SERIAL, Stmt.seq(
                new Stmt.Declare(klen, Expr.min(of(kc), of(k).minus(k0))), pack, gemm));
        List<Stmt> groupBody = new ArrayList<>(List.of(kLoop));
        if (!w.epilogue().steps().isEmpty() && fused == null) {
            groupBody.add(epilogue(w, out, bias, res, b, g, n0, nlen, p, mlo, mhi));
        }
        // idx walks the pixel blocks the range touches; [mlo, mhi) are the rows of the slices it owns in each
        List<Stmt> block = new ArrayList<>(List.of(new Stmt.Declare(b, idx.div(nb))));
        block.addAll(new BalancedBlocks(nr).declare(new Expr.Bin(Expr.Op.MOD, idx, nb), nb, p, n0, nlen));
        block.add(w.pointwise() ? Stmt.seq() : pixelOrigins(w, iy, ix, n0, nlen, sc.ow(), sc.pt(), sc.pl()));
        block.add(Stmt.loop(g, w.groups(), new Stmt.Seq(groupBody)));
        Stmt blocks = rowSlices(w).blocks(idx, mlo, mhi, block);
        Stmt body = Stmt.seq(
                new Stmt.Declare(p, sc.oh().times(sc.ow())),
                new Stmt.Declare(nb, p.plus(nc - 1).div(of(nc))),
                new Stmt.LocalArray(bp, (long) (kc + 1) * nc, w.pointwise() ? blocks
                        : new Stmt.LocalArray(iy, nc, new Stmt.LocalArray(ix, nc, blocks))));
        List<Buffer> buffers = w.epilogue().buffers(in, wt, bias, res, out);
        return new LoopKernel(name, buffers, sc.all(), body);
    }

    /** bp[jp·(klen+1)·NR + kk·NR + lane] = in[b][g·Cg + k0+kk][n0 + jp·NR + lane], zero past the block's end. */
    private static Stmt packPointwise(ConvWorkload w, Buffer in, Buffer bp, Var b, Var g, Var k0, Var klen, Var n0,
            Var nlen, Var p) {
        Var kk = Var.i64("kk");
        Expr row = b.times(w.inChannels()).plus(g.times(w.inPerGroup())).plus(k0).plus(kk).times(p).plus(n0);
        return Stmt.loop(kk, of(0), klen, new Stmt.Eval(new Expr.Call("octet_pack_rows", List.of(
                new Expr.AddressOf(in, row), nlen, panels(nlen), new Expr.AddressOf(bp, kk.times(NR)),
                panelStride(klen)))));
    }

    /**
     * The im2col patch of block [n0, n0+nlen) and reduction steps [k0, k0+klen). Each pixel's top-left input
     * position is computed once per block into {@code iy/ix} (past the block's end, a position that is out of
     * bounds for every kernel offset); each reduction row is then packed by {@code octet_im2col_row}
     * (octet_sgemm.h): contiguous masked loads for panels on one output row, masked gathers for the others.
     */
    private static Stmt packIm2col(ConvWorkload w, Buffer in, Buffer bp, Buffer iy, Buffer ix, Var b, Var g, Var k0,
            Var klen, Var nlen, Var h, Var wd) {
        Var kk = Var.i64("kk");
        Var kidx = Var.i64("kx");
        Var plane = Var.i64("plane");
        Var r = Var.i64("r");
        Var dy = Var.i64("dy");
        Var dx = Var.i64("dx");
        int khw = w.kernelH() * w.kernelW();
        Stmt row = new Stmt.Eval(new Expr.Call("octet_im2col_row", List.of(new Expr.AddressOf(in, plane), h, wd, dy,
                dx, of(w.strideW()), new Expr.AddressOf(iy, of(0)), new Expr.AddressOf(ix, of(0)), panels(nlen),
                new Expr.AddressOf(bp, kk.times(NR)), panelStride(klen))));
        return Stmt.loop(kk, of(0), klen, Stmt.seq(
                new Stmt.Declare(kidx, k0.plus(kk)),
                new Stmt.Declare(plane, b.times(w.inChannels()).plus(g.times(w.inPerGroup()))
                        .plus(kidx.div(of(khw))).times(h).times(wd)),
                new Stmt.Declare(r, new Expr.Bin(Expr.Op.MOD, kidx, of(khw))),
                new Stmt.Declare(dy, r.div(of(w.kernelW())).times(w.dilationH())),
                new Stmt.Declare(dx, new Expr.Bin(Expr.Op.MOD, r, of(w.kernelW())).times(w.dilationW())),
                row));
    }

    /** Fills iy/ix with each block pixel's input origin (y·SH − PT, x·SW − PL), walking pixels without division. */
    private static Stmt pixelOrigins(ConvWorkload w, Buffer iy, Buffer ix, Var n0, Var nlen, Var ow, Var pt, Var pl) {
        Var y = Var.i64("y");
        Var x = Var.i64("x");
        Var jj = Var.i64("jj");
        long far = -(1L << 29); // int32, and still negative after any kernel offset is added
        return Stmt.seq(
                new Stmt.Declare(y, n0.div(ow)),
                new Stmt.Declare(x, new Expr.Bin(Expr.Op.MOD, n0, ow)),
                Stmt.loop(jj, of(0), panels(nlen).times(NR), new Stmt.If(jj.lt(nlen), Stmt.seq(
                        iy.store(jj, y.times(w.strideH()).minus(pt)),
                        ix.store(jj, x.times(w.strideW()).minus(pl)),
                        new Stmt.Assign(x, x.plus(1)),
                        new Stmt.If(new Expr.Bin(Expr.Op.EQ, x, ow), Stmt.seq(new Stmt.Assign(x, of(0)),
                                new Stmt.Assign(y, y.plus(1))), null)),
                        Stmt.seq(iy.store(jj, of(far)), ix.store(jj, of(far))))));
    }

    private static Stmt epilogue(ConvWorkload w, Buffer out, Buffer bias, Buffer res, Var b, Var g, Var n0, Var nlen,
            Var p, Var mlo, Var mhi) {
        Var i = Var.i64("i");
        Var co = Var.i64("co");
        Var jj = Var.i64("jj");
        Var o = Var.i64("o");
        Expr index = b.times(w.outChannels()).plus(co).times(p).plus(n0).plus(jj);
        Stmt body = out.store(index, w.epilogue().apply(out.load(index), bias.load(co), res.load(index)));
        return Stmt.loop(i, mlo, mhi, Stmt.seq(
                new Stmt.Declare(co, g.times(w.outPerGroup()).plus(i)),
                new Stmt.For(jj, of(0), nlen, 1, Stmt.Kind.VECTORIZED, body)));
    }

    /**
     * Floats from one packed NR-wide panel of B to the next: one row (a cache line) more than the panel holds, so
     * that the panels of a block, which the packing writes and the 6×64 tile reads side by side, do not fall into
     * one L1 set (klen·NR floats is a multiple of 4 KiB at the usual kc).
     */
    private static Expr panelStride(Expr klen) {
        return klen.plus(1).times(NR);
    }

    private static Buffer shareIf(boolean shared, Buffer b) {
        return shared ? b.asShared() : b;
    }

    /** Number of NR-wide panels covering n pixels. */
    private static Expr panels(Expr n) {
        return n.plus(NR - 1).div(of(NR));
    }

    private static Expr and(Expr a, Expr b) {
        return new Expr.Bin(Expr.Op.AND, a, b);
    }

    private static Expr le0(Expr v) {
        return new Expr.Bin(Expr.Op.LE, of(0), v);
    }

    static int roundUp(int n, int m) {
        return (n + m - 1) / m * m;
    }
}
