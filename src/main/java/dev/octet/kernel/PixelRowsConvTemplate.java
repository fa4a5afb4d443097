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
 * fp32 convolution as GEMM with the operands' roles swapped: the AVX-512 6×64 tile's six rows are pixels and its 64
 * columns output channels, so the weights are the streamed 16-wide panels and the activations the broadcast ones.
 * {@link ConvGemmTemplate} puts pixels along the 64 columns, which a 7×7 plane (49 pixels, ResNet-50's last stage)
 * fills to 77%; six-pixel rows fill it to 91% (9 rows of 6 for 49). Per block of NC pixels and KC reduction steps
 * the im2col patch (or, for 1×1 stride-1 convolutions, the input rows) is packed into 6-pixel panels, the tiles
 * accumulate into a row-major buffer of pixels × output channels, and after the last reduction block that buffer
 * is stored into NCHW through 16×16 register transposes, the epilogue applied on the way as the 6×64 tile applies
 * it ({@link TileEpilogue}; other epilogues are a pass over the stored block). Each output is the same sequence of
 * fused multiply-adds in k order as in conv-as-GEMM, so the two give the same bits.
 *
 * <p>Valid for ungrouped convolutions at a level with AVX-512; never the default (which orientation wins depends
 * on the pixel count, a run-time argument: the tuner measures the model's).
 *
 * <p>Knobs: {@code nc} pixels per block (the parallel grain; whole 6-pixel panels), {@code kc} reduction steps per
 * packed block. Kernel parameters as {@link ConvGemmTemplate}'s: buffers {@code in, w, [bias], [res], out}; scalars
 * {@code H, W, OH, OW, PT, PL}; the parallel range is {@code batch × ceil(OH·OW / nc)} pixel blocks × 64-channel
 * slices of the output ({@link #parallelRange}).
 */
public final class PixelRowsConvTemplate {
    public static final String NAME = "conv_gemm_px";
    /** Pixels of a tile (rows of the packed activation panels). */
    static final int MR = ConvGemmTemplate.MR;
    /** Output channels of a packed weight panel. */
    static final int NR = ConvGemmTemplate.NR;
    /** Output channels of a tile: four weight panels. */
    static final int NR512 = ConvGemmTemplate.NR512;

    private PixelRowsConvTemplate() {
    }

    public static KnobSpace knobs(ConvWorkload w) {
        return new KnobSpace(NAME, List.of(Knob.of("nc", 60, 120, 198, 30), Knob.of("kc", 128, 256, 64, 512)));
    }

    /** Ungrouped convolutions at a level with the 6×64 zmm tile. */
    static boolean isValid(ConvWorkload w, IsaLevel level) {
        return w.groups() == 1 && level.hasAvx512();
    }

    static boolean isValid(ConvWorkload w, Config c, IsaLevel level) {
        return isValid(w, level) && c.get("nc") > 0 && c.get("nc") % MR == 0 && c.get("kc") > 0;
    }

    /**
     * Weights [Cout][Cin][KH][KW] → NR-channel panels over the reduction, zero-padded to a multiple of NR channels:
     * packed[(co / NR)·(K+1)·NR + k·NR + co % NR]. One row more per panel than it holds: at the usual K the four
     * panels a tile reads at each step would otherwise lie a multiple of 4 KiB apart, in one L1 set.
     */
    public static float[] packWeights(ConvWorkload w, float[] weights) {
        int k = w.reduction();
        int panels = (w.outChannels() + NR - 1) / NR;
        float[] packed = new float[panels * panelStride(w)];
        for (int co = 0; co < w.outChannels(); co++) {
            for (int kk = 0; kk < k; kk++) {
                packed[co / NR * panelStride(w) + kk * NR + co % NR] = weights[co * k + kk];
            }
        }
        return packed;
    }

    private static int panelStride(ConvWorkload w) {
        return (w.reduction() + 1) * NR;
    }

    /**
     * Work items: {@code batch × ceil(OH·OW / nc)} pixel blocks × {@link OwnedSlices} of 64 output channels, item
     * {@code idx} being block {@code idx / slices} and slice {@code idx % slices}. A range packs each block it
     * touches once and computes the channels it owns, so two threads split a 7×7 layer (one block) by channels.
     */
    public static long parallelRange(ConvWorkload w, int batch, int oh, int ow, Config c) {
        long p = (long) oh * ow;
        return batch * ((p + c.get("nc") - 1) / c.get("nc")) * channelSlices(w).slices();
    }

    private static OwnedSlices channelSlices(ConvWorkload w) {
        return OwnedSlices.tiling(w.outChannels(), NR512);
    }

    /** The kernel for one ISA level (one with AVX-512): its library must be compiled for that level or a later one. */
    public static LoopKernel build(ConvWorkload w, Config c, String name, IsaLevel level) {
        if (!isValid(w, c, level)) {
            throw new IllegalArgumentException(c + " is not valid for " + w.key() + " at " + level);
        }
        int nc = c.get("nc");
        int kc = c.get("kc");
        int k = w.reduction();
        int cout = w.outChannels();
        int ldct = ConvGemmTemplate.roundUp(cout, NR);
        int blockRows = ConvGemmTemplate.roundUp(nc, MR);
        int blockRows16 = ConvGemmTemplate.roundUp(blockRows, NR);
        Buffer in = Buffer.input("in", ScalarType.F32);
        Buffer wt = Buffer.input("w", ScalarType.F32);
        Buffer bias = Buffer.input("bias", ScalarType.F32);
        Buffer res = Buffer.input("res", ScalarType.F32);
        Buffer out = Buffer.output("out", ScalarType.F32);
        Buffer ap = Buffer.output("ap", ScalarType.F32);
        Buffer ct = Buffer.output("ct", ScalarType.F32);
        Buffer iy = Buffer.output("iy", ScalarType.I32);
        Buffer ix = Buffer.output("ix", ScalarType.I32);
        Buffer row = Buffer.output("prow", ScalarType.F32);
        ConvScalars sc = ConvScalars.declare();
        Var p = Var.i64("P");
        Var nb = Var.i64("NB");
        Var idx = Var.i64("idx");
        Var b = Var.i64("b");
        Var g = Var.i64("g");
        Var n0 = Var.i64("n0");
        Var nlen = Var.i64("nlen");
        Var npan = Var.i64("npan");
        Var jlo = Var.i64("jlo");
        Var jhi = Var.i64("jhi");
        Var k0 = Var.i64("k0");
        Var klen = Var.i64("klen");
        Var kk = Var.i64("kk");
        Var j = Var.i64("j");
        Var ip = Var.i64("ip");

        // A panels: ap[ip·klen·MR + kk·MR + r] = pixel n0 + ip·MR + r of reduction row k0 + kk, zero past the block
        Expr panelsAt = new Expr.AddressOf(ap, kk.times(MR));
        Expr apStride = klen.times(MR);
        Stmt pack;
        if (w.pointwise()) {
            Expr inRow = new Expr.AddressOf(in, b.times(w.inChannels()).plus(k0).plus(kk).times(p).plus(n0));
            pack = Stmt.loop(kk, of(0), klen, new Stmt.Eval(new Expr.Call("octet_panels6_from_row", List.of(inRow,
                    nlen, npan, panelsAt, apStride))));
        } else {
            pack = ConvGemmTemplate.im2colRows(w, in, iy, ix, b, g, k0, klen, nlen, sc.h(), sc.wd(), kk,
                    new Expr.AddressOf(row, of(0)), of(NR), new Stmt.Eval(new Expr.Call("octet_panels6_from_row",
                            List.of(new Expr.AddressOf(row, of(0)), nlen, npan, panelsAt, apStride))));
        }
        // The weights stream from the last-level cache once per block (a 7×7 layer's are 4–9 MB), so each tile
        // prefetches part of the next reduction block's while it computes (the 6×64 kernel prefetches 6·kc floats
        // from its last argument): tile ip takes panel ip mod 4 of the four, chunk ip / 4 of it. With 8 or more
        // tiles that is 12 of each panel's 16·kc floats; the hardware prefetcher follows the rest. Measured on the
        // 2048→512 7×7 layer (ConvLayerRates, kc = 128): 0.647 ms against 0.790 ms without.
        Expr prefetch = new Expr.AddressOf(wt, j.div(of(NR)).plus(new Expr.Bin(Expr.Op.MOD, ip, of(4)))
                .times(panelStride(w)).plus(k0.plus(kc).times(NR)).plus(ip.div(of(4)).times(MR * kc)));
        Stmt tile = new Stmt.Eval(new Expr.Call("octet_sgemm512_6x64_epi", List.of(klen,
                new Expr.AddressOf(ap, ip.times(apStride)),
                new Expr.AddressOf(wt, j.div(of(NR)).times(panelStride(w)).plus(k0.times(NR))), of(panelStride(w)),
                new Expr.AddressOf(ct, ip.times(MR * ldct).plus(j)), of(ldct),
                Expr.min(of(MR), nlen.minus(ip.times(MR))), Expr.min(of(NR512), jhi.minus(j)),
                new Expr.Bin(Expr.Op.LT, of(0), k0), of(0), of(0), of(0), Expr.f32(0), Expr.f32(0), prefetch)));
        Stmt gemm = new Stmt.For(j, jlo, jhi, NR512, Stmt.Kind.SERIAL, Stmt.loop(ip, of(0), npan, tile));
        Stmt kLoop = new Stmt.For(k0, of(0), of(k), kc, Stmt.Kind.SERIAL, Stmt.seq(
                new Stmt.Declare(klen, Expr.min(of(kc), of(k).minus(k0))), pack, gemm));

        TileEpilogue fused = TileEpilogue.of(w.epilogue());
        Expr blockOut = b.times(cout).times(p).plus(n0);
        boolean hasBias = fused != null && w.epilogue().hasBias();
        boolean hasRes = fused != null && w.epilogue().hasResidual();
        Stmt store = new Stmt.Eval(new Expr.Call("octet_store_pixel_rows", List.of(new Expr.AddressOf(ct, of(0)),
                of(ldct), nlen, jlo, jhi, new Expr.AddressOf(out, blockOut),
                hasRes ? new Expr.AddressOf(res, blockOut) : of(0), p, of(fused == null ? 0 : fused.flags()),
                hasBias ? new Expr.AddressOf(bias, of(0)) : of(0), Expr.f32(fused == null ? 0 : fused.lo()),
                Expr.f32(fused == null ? 0 : fused.hi()))));

        List<Stmt> block = new ArrayList<>(List.of(new Stmt.Declare(b, idx.div(nb)), new Stmt.Declare(g, of(0))));
        block.addAll(new BalancedBlocks(MR).declare(new Expr.Bin(Expr.Op.MOD, idx, nb), nb, p, n0, nlen));
        block.add(new Stmt.Declare(npan, nlen.plus(MR - 1).div(of(MR))));
        if (!w.pointwise()) {
            block.add(ConvGemmTemplate.pixelOrigins(w, iy, ix, n0, nlen, sc.ow(), sc.pt(), sc.pl()));
        }
        block.add(kLoop);
        block.add(store);
        if (!w.epilogue().steps().isEmpty() && fused == null) {
            block.add(ConvGemmTemplate.epilogue(w, out, bias, res, b, g, n0, nlen, p, jlo, jhi));
        }
        Stmt blocks = channelSlices(w).blocks(idx, jlo, jhi, block);
        Stmt body = new Stmt.LocalArray(ap, (long) kc * blockRows, new Stmt.LocalArray(ct,
                (long) blockRows16 * ldct, w.pointwise() ? blocks : new Stmt.LocalArray(iy, blockRows16,
                        new Stmt.LocalArray(ix, blockRows16, new Stmt.LocalArray(row, blockRows16, blocks)))));
        body = Stmt.seq(
                new Stmt.Declare(p, sc.oh().times(sc.ow())),
                new Stmt.Declare(nb, p.plus(nc - 1).div(of(nc))),
                body);
        return new LoopKernel(name, w.epilogue().buffers(in, wt, bias, res, out), sc.all(), body);
    }
}
