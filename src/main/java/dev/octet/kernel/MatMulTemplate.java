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
 * fp32 matrix product with a constant right operand: the weight W is packed once into NR-column panels; each block
 * of MR·mb rows of X is packed into MR-row panels per KC reduction steps; the 6×16 FMA micro-kernel multiplies
 * them. The epilogue's "bias" is per output column here (Gemm's C, MatMul+Add).
 *
 * <p>Knobs: {@code mb} row panels per work item (the parallel grain), {@code kc} reduction steps per block,
 * {@code tile} as {@link ConvGemmTemplate}'s (the AVX-512 6×64 micro-kernel reads four weight panels at once).
 *
 * <p>Kernel parameters: buffers {@code x, w, [bias], [res], y}; scalar {@code M}; parallel range
 * {@code ceil(M / (MR·mb))} row blocks × {@link #slices} column slices ({@link #parallelRange}).
 */
public final class MatMulTemplate {
    public static final String NAME = "matmul";
    static final int MR = ConvGemmTemplate.MR;
    static final int NR = ConvGemmTemplate.NR;

    private MatMulTemplate() {
    }

    public static KnobSpace knobs(MatMulWorkload w) {
        return knobs(w, IsaLevel.defaultLevel());
    }

    public static KnobSpace knobs(MatMulWorkload w, IsaLevel level) {
        return new KnobSpace(NAME, List.of(Knob.of("mb", 4, 1, 2, 8, 16), Knob.of("kc", 256, 128, 512),
                ConvGemmTemplate.tiles(level)));
    }

    static boolean isValid(MatMulWorkload w, Config c, IsaLevel level) {
        int tile = c.get("tile");
        return tile == ConvGemmTemplate.TILE_AVX2 || tile == ConvGemmTemplate.TILE_AVX512 && level.hasAvx512();
    }

    /** W [K][N] → NR-column panels: packed[(j/NR)·K·NR + k·NR + j%NR], zero-padded to a multiple of NR. */
    public static float[] packWeights(MatMulWorkload w, float[] weights) {
        int np = ConvGemmTemplate.roundUp(w.n(), NR);
        float[] packed = new float[np * w.k()];
        for (int k = 0; k < w.k(); k++) {
            for (int j = 0; j < w.n(); j++) {
                packed[(j / NR) * w.k() * NR + k * NR + j % NR] = weights[k * w.n() + j];
            }
        }
        return packed;
    }

    /** Rows of X one work item covers. */
    public static int rowsPerItem(Config c) {
        return MR * c.get("mb");
    }

    /**
     * Work items: row blocks × column slices, item {@code idx} being row block {@code idx / slices} and slice
     * {@code idx % slices} (one micro-kernel tile width of columns, {@link #slices}). A range packs each row block
     * it touches once and computes the columns of the slices it owns: a classifier's one-row product (ResNet's fc,
     * 2048 → 1000) splits across threads by columns instead of running on one.
     */
    public static long parallelRange(MatMulWorkload w, long m, Config c) {
        return (m + rowsPerItem(c) - 1) / rowsPerItem(c) * columnSlices(w, c).slices();
    }

    /** Column slices per row block: one per tile width of the configuration's micro-kernel. */
    public static int slices(MatMulWorkload w, Config c) {
        return columnSlices(w, c).slices();
    }

    private static OwnedSlices columnSlices(MatMulWorkload w, Config c) {
        return OwnedSlices.tiling(w.n(), c.get("tile") == ConvGemmTemplate.TILE_AVX512 ? ConvGemmTemplate.NR512 : NR);
    }

    public static LoopKernel build(MatMulWorkload w, Config c, String name) {
        return build(w, c, name, IsaLevel.defaultLevel());
    }

    /** The kernel for one ISA level: its library must be compiled for that level (or a later one). */
    public static LoopKernel build(MatMulWorkload w, Config c, String name, IsaLevel level) {
        if (!isValid(w, c, level)) {
            throw new IllegalArgumentException(c + " is not valid for " + w.key() + " at " + level);
        }
        boolean zmm = c.get("tile") == ConvGemmTemplate.TILE_AVX512;
        int nr = zmm ? ConvGemmTemplate.NR512 : NR;
        int mb = c.get("mb");
        int kc = c.get("kc");
        int rowsPerItem = MR * mb;
        Buffer x = Buffer.input("x", ScalarType.F32);
        Buffer wt = Buffer.input("w", ScalarType.F32);
        Buffer bias = Buffer.input("bias", ScalarType.F32);
        Buffer res = Buffer.input("res", ScalarType.F32);
        Buffer y = Buffer.output("y", ScalarType.F32);
        Buffer ap = Buffer.output("ap", ScalarType.F32);
        Var m = Var.i64("M");
        Var idx = Var.i64("idx");
        Var r0 = Var.i64("r0");
        Var rlen = Var.i64("rlen");
        Var k0 = Var.i64("k0");
        Var klen = Var.i64("klen");
        Var ip = Var.i64("ip");
        Var kk = Var.i64("kk");
        Var lane = Var.i64("lane");
        Var row = Var.i64("row");
        Var j = Var.i64("j");
        Var jlo = Var.i64("jlo");
        Var jhi = Var.i64("jhi");
        int k = w.k();
        int n = w.n();
        // ap[ip·klen·MR + kk·MR + lane] = x[r0 + ip·MR + lane][k0 + kk], zero past the block's rows.
        Stmt pack = Stmt.loop(ip, of(0), rlen.plus(MR - 1).div(of(MR)), Stmt.loop(kk, of(0), klen,
                new Stmt.For(lane, of(0), of(MR), 1, Stmt.Kind.UNROLLED, Stmt.seq(
                        new Stmt.Declare(row, ip.times(MR).plus(lane)),
                        ap.store(ip.times(klen).plus(kk).times(MR).plus(lane), new Expr.Select(row.lt(rlen),
                                x.load(r0.plus(row).times(k).plus(k0).plus(kk)), Expr.f32(0)))))));
        Expr aPanel = new Expr.AddressOf(ap, ip.times(klen).times(MR));
        Expr bPanel = new Expr.AddressOf(wt, j.times(k).plus(k0.times(NR)));
        Expr cTile = new Expr.AddressOf(y, r0.plus(ip.times(MR)).times(n).plus(j));
        Expr rowsLeft = Expr.min(of(MR), rlen.minus(ip.times(MR)));
        Expr colsLeft = Expr.min(of(nr), jhi.minus(j));
        Expr accumulate = new Expr.Bin(Expr.Op.LT, of(0), k0);
        Expr call = zmm
                ? new Expr.Call("octet_sgemm512_6x64_edge", List.of(klen, aPanel, bPanel, of((long) k * NR), cTile,
                        of(n), rowsLeft, colsLeft, accumulate))
                : new Expr.Call("octet_sgemm_6x16_edge", List.of(klen, aPanel, bPanel, cTile, of(n), rowsLeft,
                        colsLeft, accumulate));
        Stmt gemm = new Stmt.For(j, jlo, jhi, nr, Stmt.Kind.SERIAL,
                Stmt.loop(ip, of(0), rlen.plus(MR - 1).div(of(MR)), new Stmt.Eval((Expr.Call) call)));
        Stmt kLoop = new Stmt.For(k0, of(0), of(k), kc, Stmt.Kind.SERIAL, Stmt.seq(
                new Stmt.Declare(klen, Expr.min(of(kc), of(k).minus(k0))), pack, gemm));
        List<Stmt> item = new ArrayList<>(List.of(
                new Stmt.Declare(r0, idx.times(rowsPerItem)),
                new Stmt.Declare(rlen, Expr.min(of(rowsPerItem), m.minus(r0))),
                kLoop));
        if (!w.epilogue().steps().isEmpty()) {
            Var i = Var.i64("i");
            Expr o = r0.plus(i).times(n).plus(j);
            item.add(Stmt.loop(i, of(0), rlen, new Stmt.For(j, jlo, jhi, 1, Stmt.Kind.VECTORIZED,
                    y.store(o, w.epilogue().apply(y.load(o), bias.load(j), res.load(o))))));
        }
        // idx walks the row blocks the range touches; [jlo, jhi) are the columns of the slices it owns in each
        Stmt body = new Stmt.LocalArray(ap, (long) rowsPerItem * kc, columnSlices(w, c).blocks(idx, jlo, jhi, item));
        List<Buffer> buffers = w.epilogue().buffers(x, wt, bias, res, y);
        return new LoopKernel(name, buffers, List.of(m), body);
    }
}
