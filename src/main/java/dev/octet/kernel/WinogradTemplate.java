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
 * fp32 Winograd F(m×m, 3×3), m = 2 or 4, NCHW, for ungrouped 3×3 stride-1 dilation-1 convolutions: per block of
 * {@code tiles} output tiles of one image, the input transform V = Bᵀ d B of every channel (d is 0 outside the
 * image), then per block of {@code cob} output channels and per transformed position the product U·V summed over
 * the input channels by an FMA micro-kernel of {@code octet_sgemm.h} ({@code kc} channels per call; {@code tile}: 6×16
 * on ymm or 6×64 on zmm, as {@link ConvGemmTemplate}'s knob), then the
 * output transform Y = Aᵀ M A with the fused epilogue. The weights U = G g Gᵀ are transformed once at pack time, in
 * double, rounded once to float ({@link #packWeights}). Not exact: its error bound is {@code verify.WinogradBound},
 * which grows with the transforms (m = 4 more than m = 2); never a default, the tuner decides.
 *
 * <p>Layouts (P = (m+2)² positions, T = tiles, JP = T/16 panels, MP = Cout rounded up to 6):
 * U {@code [pos][MP/6][Cin][6]} (the GEMM template's panel layout per position), V {@code [pos][JP][Cin][16]}
 * (16-tile panels the micro-kernel reads directly), M {@code [pos][cob][T]}. Tile t of an image is output rows
 * m·(t / TW) .. and columns m·(t % TW) .., TW = ceil(OW / m).
 *
 * <p>Kernel parameters as {@link ConvGemmTemplate}'s: buffers {@code in, w, [bias], [res], out}, scalars
 * {@code H, W, OH, OW, PT, PL}; the parallel range is batch × ceil(tiles of the image / tiles) × ceil(Cout / cob)
 * ({@link #parallelRange}).
 */
public final class WinogradTemplate {
    public static final String NAME = "conv_winograd";
    private static final int MR = ConvGemmTemplate.MR;
    private static final int NR = ConvGemmTemplate.NR;

    private WinogradTemplate() {
    }

    /** Ungrouped 3×3, stride 1, dilation 1; any epilogue {@link Epilogue#apply} prints. */
    static boolean isValid(ConvWorkload w) {
        return w.groups() == 1 && w.kernelH() == 3 && w.kernelW() == 3 && w.strideH() == 1 && w.strideW() == 1
                && w.dilationH() == 1 && w.dilationW() == 1;
    }

    /**
     * A valid workload and knobs the template prints at the level: m of 2 or 4, tiles a multiple of 16, cob of 6,
     * a micro-kernel the level has.
     */
    static boolean isValid(ConvWorkload w, Config c, IsaLevel level) {
        if (!isValid(w) || !c.template().equals(NAME)) {
            return false;
        }
        for (String k : List.of("m", "tiles", "cob", "kc", "tile")) {
            if (!c.values().containsKey(k)) {
                return false;
            }
        }
        int tiles = c.get("tiles");
        int cob = c.get("cob");
        return (c.get("m") == 2 || c.get("m") == 4) && tiles > 0 && tiles % NR == 0 && tiles <= 256 && cob > 0
                && cob % MR == 0 && cob <= 512 && c.get("kc") > 0 && (c.get("tile") == ConvGemmTemplate.TILE_AVX2
                || c.get("tile") == ConvGemmTemplate.TILE_AVX512 && level.hasAvx512());
    }

    public static KnobSpace knobs(ConvWorkload w) {
        return knobs(w, IsaLevel.defaultLevel());
    }

    /** Tile size, blocking, and the GEMM micro-kernel of conv-as-GEMM's tile knob (AVX-512 first where the level has it). */
    public static KnobSpace knobs(ConvWorkload w, IsaLevel level) {
        return new KnobSpace(NAME, List.of(Knob.of("m", 4, 2), Knob.of("tiles", 32, 16, 64),
                Knob.of("cob", 48, 24, 96), Knob.of("kc", 256, 64), ConvGemmTemplate.tiles(level)));
    }

    /** The transforms a configuration's m knob selects: the only ones its kernel and its bound use. */
    public static WinogradTransforms transforms(Config c) {
        return WinogradTransforms.of(c.get("m"));
    }

    /** Weights [Cout][Cin][3][3] → U per position in 6-row panels over the input channels, zero-padded rows. */
    public static float[] packWeights(ConvWorkload w, Config c, float[] weights) {
        return packWeights(w, transforms(c), weights);
    }

    static float[] packWeights(ConvWorkload w, WinogradTransforms t, float[] weights) {
        if (!isValid(w) || weights.length != w.outChannels() * w.reduction()) {
            throw new IllegalArgumentException("weights do not match " + w.key());
        }
        int cin = w.inChannels();
        int mp = ConvGemmTemplate.roundUp(w.outChannels(), MR);
        int p = t.positions();
        float[] packed = new float[p * mp * cin];
        for (int oc = 0; oc < w.outChannels(); oc++) {
            for (int ci = 0; ci < cin; ci++) {
                double[] u = t.transformFilter(weights, (oc * cin + ci) * 9);
                for (int pos = 0; pos < p; pos++) {
                    packed[pos * mp * cin + (oc / MR) * MR * cin + ci * MR + oc % MR] = (float) u[pos];
                }
            }
        }
        return packed;
    }

    /**
     * Number of parallel work items for one run: blocks of tiles per image, times the batch, times the slices of
     * {@code cob} output channels per block ({@link WinogradBlocks#slicedLoop}).
     */
    public static long parallelRange(ConvWorkload w, int batch, int oh, int ow, Config c) {
        int m = c.get("m");
        long tiles = (long) ((oh + m - 1) / m) * ((ow + m - 1) / m);
        return batch * ((tiles + c.get("tiles") - 1) / c.get("tiles")) * slices(w, c).slices();
    }

    private static OwnedSlices slices(ConvWorkload w, Config c) {
        return OwnedSlices.tiling(w.outChannels(), c.get("cob"));
    }

    /** The kernel for {@link IsaLevel#defaultLevel}. */
    public static LoopKernel build(ConvWorkload w, Config c, String name) {
        return build(w, c, name, IsaLevel.defaultLevel());
    }

    /** The kernel for one ISA level: its library must be compiled for that level (or a later one). */
    public static LoopKernel build(ConvWorkload w, Config c, String name, IsaLevel level) {
        return build(w, c, name, level, transforms(c));
    }

    /** The kernel with given transforms: package-private, so that tests can plant wrong ones. */
    static LoopKernel build(ConvWorkload w, Config c, String name, IsaLevel level, WinogradTransforms t) {
        if (!isValid(w, c, level) || t.m() != c.get("m")) {
            throw new IllegalArgumentException(c + " is not valid for " + w.key() + " at " + level);
        }
        boolean zmm = c.get("tile") == ConvGemmTemplate.TILE_AVX512;
        int nr = zmm ? ConvGemmTemplate.NR512 : NR;
        int m = t.m();
        int tiles = c.get("tiles");
        int cob = c.get("cob");
        int kc = c.get("kc");
        int cin = w.inChannels();
        int cout = w.outChannels();
        int p = t.positions();
        int jp = tiles / NR;
        long mp = ConvGemmTemplate.roundUp(cout, MR);
        Buffer in = Buffer.input("in", ScalarType.F32);
        Buffer wt = Buffer.input("w", ScalarType.F32);
        Buffer bias = Buffer.input("bias", ScalarType.F32);
        Buffer res = Buffer.input("res", ScalarType.F32);
        Buffer out = Buffer.output("out", ScalarType.F32);
        Buffer v = Buffer.output("v", ScalarType.F32);
        Buffer mb = Buffer.output("mb", ScalarType.F32);
        Buffer iy = Buffer.output("iy", ScalarType.I64);
        Buffer ix = Buffer.output("ix", ScalarType.I64);
        ConvScalars sc = ConvScalars.declare();
        Var tw = Var.i64("TW");
        WinogradBlocks blk = WinogradBlocks.declare();
        Var jj = Var.i64("jj");
        Var tt = Var.i64("tt");

        long far = -(1L << 40); // past the block's end: every input position out of bounds, nothing stored
        Stmt origins = Stmt.loop(jj, of(0), of(tiles), new Stmt.If(jj.lt(blk.tlen()), Stmt.seq(
                new Stmt.Declare(tt, blk.t0().plus(jj)),
                iy.store(jj, tt.div(tw).times(m).minus(sc.pt())),
                ix.store(jj, new Expr.Bin(Expr.Op.MOD, tt, tw).times(m).minus(sc.pl()))),
                Stmt.seq(iy.store(jj, of(far)), ix.store(jj, of(far)))));

        // input transform, per channel and 16-tile panel: gather each tile's (m+2)² inputs into a panel
        // (octet_swino_gather of octet_swino.h: 0 outside the image), then transform the 16 tiles as vector lanes
        Var ci = Var.i64("ci");
        Var panel = Var.i64("jp");
        Var lane = Var.i64("lane");
        Var plane = Var.i64("plane");
        Buffer dp = Buffer.output("dp", ScalarType.F32);
        int n = t.tile();
        Var[][] d = new Var[n][n];
        Stmt gather = new Stmt.Eval(new Expr.Call("octet_swino_gather", List.of(new Expr.AddressOf(in, plane),
                sc.h(), sc.wd(), new Expr.AddressOf(iy, panel.times(NR)), new Expr.AddressOf(ix, panel.times(NR)),
                of(n), new Expr.AddressOf(dp, of(0)))));
        List<Stmt> lanes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                d[i][j] = new Var("d" + i + "_" + j, ScalarType.F32);
                lanes.add(new Stmt.Declare(d[i][j], dp.load(of((long) (i * n + j) * NR).plus(lane))));
            }
        }
        Var[][] vt = WinogradLanes.sandwich(t.bt(), d, "r", "vv", lanes);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                int pos = i * n + j;
                lanes.add(v.store(of((long) pos * jp).plus(panel).times(cin).plus(ci).times(NR).plus(lane), vt[i][j]));
            }
        }
        Stmt input = new Stmt.LocalArray(dp, (long) n * n * NR, Stmt.loop(ci, of(0), of(cin), Stmt.seq(
                new Stmt.Declare(plane, blk.b().times(cin).plus(ci).times(sc.h()).times(sc.wd())),
                Stmt.loop(panel, of(0), blk.tlen().plus(NR - 1).div(of(NR)), Stmt.seq(
                        gather,
                        new Stmt.For(lane, of(0), of(NR), 1, Stmt.Kind.VECTORIZED, new Stmt.Seq(lanes)))))));

        // products: per position, M[pos][0..rows)[tiles] = U[pos][ob..ob+rows) · V[pos]
        Var ob = Var.i64("ob");
        Var rows = Var.i64("rows");
        Var pos = Var.i64("pos");
        Var k0 = Var.i64("k0");
        Var klen = Var.i64("klen");
        Var i0 = Var.i64("i0");
        Var j = Var.i64("j");
        Expr a = new Expr.AddressOf(wt, pos.times(mp * cin).plus(ob.plus(i0).times(cin)).plus(k0.times(MR)));
        Expr bp = new Expr.AddressOf(v, pos.times(jp).plus(j.div(of(NR))).times(cin).plus(k0).times(NR));
        Expr cp = new Expr.AddressOf(mb, pos.times(cob).plus(i0).times(tiles).plus(j));
        Expr rowsLeft = Expr.min(of(MR), rows.minus(i0));
        Expr colsLeft = Expr.min(of(nr), blk.tlen().minus(j));
        Expr accumulate = new Expr.Bin(Expr.Op.LT, of(0), k0);
        // the 6×64 kernel reads up to four of V's 16-tile panels, Cin·16 floats apart, and prefetches the U panel
        // of the next call (the next rows of this position, else the first of the next position): U is several
        // times the size of the direct weights and, within a model, seldom still in cache
        Expr nextPos = Expr.min(pos.plus(1), of(p - 1));
        Expr anext = new Expr.AddressOf(wt, new Expr.Select(i0.plus(MR).lt(rows),
                pos.times(mp * cin).plus(ob.plus(i0).plus(MR).times(cin)).plus(k0.times(MR)),
                nextPos.times(mp * cin).plus(ob.times(cin)).plus(k0.times(MR))));
        Stmt tile = new Stmt.Eval(zmm
                ? new Expr.Call("octet_sgemm512_6x64_epi", List.of(klen, a, bp, of((long) cin * NR), cp, of(tiles),
                        rowsLeft, colsLeft, accumulate, of(0), of(0), of(0), Expr.f32(0), Expr.f32(0), anext))
                : new Expr.Call("octet_sgemm_6x16_edge", List.of(klen, a, bp, cp, of(tiles), rowsLeft, colsLeft,
                        accumulate)));
        Stmt products = Stmt.loop(pos, of(0), of(p), new Stmt.For(k0, of(0), of(cin), kc, Stmt.Kind.SERIAL, Stmt.seq(
                new Stmt.Declare(klen, Expr.min(of(kc), of(cin).minus(k0))),
                new Stmt.For(i0, of(0), rows, MR, Stmt.Kind.SERIAL,
                        new Stmt.For(j, of(0), blk.tlen(), nr, Stmt.Kind.SERIAL, tile)))));

        Stmt outputs = outputTransform(w, t, out, bias, res, mb, iy, ix, blk.b(), ob, rows, blk.tlen(), tiles, cob,
                sc);
        Var olo = Var.i64("olo");
        Var ohi = Var.i64("ohi");
        Stmt blocks = blk.slicedLoop(tiles, slices(w, c), olo, ohi, origins, input,
                new Stmt.For(ob, olo, ohi, cob, Stmt.Kind.SERIAL, Stmt.seq(
                        new Stmt.Declare(rows, Expr.min(of(cob), of(cout).minus(ob))), products, outputs)));
        Stmt body = Stmt.seq(
                new Stmt.Declare(tw, sc.ow().plus(m - 1).div(of(m))),
                new Stmt.Declare(blk.nt(), sc.oh().plus(m - 1).div(of(m)).times(tw)),
                blk.declareCount(tiles),
                new Stmt.LocalArray(v, (long) p * cin * tiles, new Stmt.LocalArray(mb, (long) p * cob * tiles,
                        new Stmt.LocalArray(iy, tiles, new Stmt.LocalArray(ix, tiles, blocks)))));
        return new LoopKernel(name, w.epilogue().buffers(in, wt, bias, res, out), sc.all(), body);
    }

    /**
     * Output transform Y = Aᵀ M A of each tile of the block and each output channel of [ob, ob+rows), per 16-tile
     * panel as vector lanes, with the epilogue, into a panel {@code yp} that {@code octet_swino_scatter}
     * (octet_swino.h) stores where the outputs lie inside the image (a tile may reach past its edge). Lanes past
     * the block compute on stale products and are not stored; a residual is read only inside the image.
     */
    private static Stmt outputTransform(ConvWorkload w, WinogradTransforms t, Buffer out, Buffer bias, Buffer res,
            Buffer mb, Buffer iy, Buffer ix, Var b, Var ob, Var rows, Var tlen, int tiles, int cob, ConvScalars sc) {
        Var i = Var.i64("i");
        Var co = Var.i64("co");
        Var panel = Var.i64("jp");
        Var lane = Var.i64("lane");
        Var jj = Var.i64("jj");
        Var oy = Var.i64("oy");
        Var ox = Var.i64("ox");
        Buffer yp = Buffer.output("yp", ScalarType.F32);
        int n = t.tile();
        int m = t.m();
        Var[][] mv = new Var[n][n];
        List<Stmt> body = new ArrayList<>(List.of(new Stmt.Declare(jj, panel.times(NR).plus(lane))));
        for (int r = 0; r < n; r++) {
            for (int s = 0; s < n; s++) {
                mv[r][s] = new Var("m" + r + "_" + s, ScalarType.F32);
                body.add(new Stmt.Declare(mv[r][s], mb.load(of((long) (r * n + s) * cob).plus(i).times(tiles).plus(jj))));
            }
        }
        Var[][] y = WinogradLanes.sandwich(t.at(), mv, "s", "y", body);
        body.add(new Stmt.Declare(oy, iy.load(jj).plus(sc.pt())));
        body.add(new Stmt.Declare(ox, ix.load(jj).plus(sc.pl())));
        for (int r = 0; r < m; r++) {
            for (int s = 0; s < m; s++) {
                Expr resv = Expr.f32(0);
                if (w.epilogue().hasResidual()) {
                    Expr index = b.times(w.outChannels()).plus(co).times(sc.oh()).plus(oy.plus(r)).times(sc.ow())
                            .plus(ox.plus(s));
                    Expr inside = bitAnd(bitAnd(le0(oy.plus(r)), oy.plus(r).lt(sc.oh())),
                            bitAnd(le0(ox.plus(s)), ox.plus(s).lt(sc.ow())));
                    resv = res.load(new Expr.Select(inside, index, of(0)));
                }
                body.add(yp.store(of((long) (r * m + s) * NR).plus(lane), w.epilogue().apply(y[r][s], bias.load(co),
                        resv)));
            }
        }
        Stmt scatter = new Stmt.Eval(new Expr.Call("octet_swino_scatter", List.of(
                new Expr.AddressOf(out, b.times(w.outChannels()).plus(co).times(sc.oh()).times(sc.ow())), sc.oh(),
                sc.ow(), new Expr.AddressOf(iy, panel.times(NR)), new Expr.AddressOf(ix, panel.times(NR)), sc.pt(),
                sc.pl(), of(m), new Expr.AddressOf(yp, of(0)))));
        return new Stmt.LocalArray(yp, (long) m * m * NR, Stmt.loop(i, of(0), rows, Stmt.seq(
                new Stmt.Declare(co, ob.plus(i)),
                Stmt.loop(panel, of(0), tlen.plus(NR - 1).div(of(NR)), Stmt.seq(
                        new Stmt.For(lane, of(0), of(NR), 1, Stmt.Kind.VECTORIZED, new Stmt.Seq(body)),
                        scatter)))));
    }

    /** A non-short-circuit and of two 0/1 values: no branch, so the lane loop can vectorize. */
    private static Expr bitAnd(Expr a, Expr b) {
        return new Expr.Bin(Expr.Op.BITAND, a, b);
    }

    private static Expr le0(Expr e) {
        return new Expr.Bin(Expr.Op.LE, of(0), e);
    }
}
