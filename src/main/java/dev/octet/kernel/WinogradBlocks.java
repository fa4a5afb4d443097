package dev.octet.kernel;

import static dev.octet.kernel.loop.Expr.of;

import dev.octet.kernel.loop.Expr;
import dev.octet.kernel.loop.LoopKernel;
import dev.octet.kernel.loop.Stmt;
import dev.octet.kernel.loop.Var;
import java.util.ArrayList;
import java.util.List;

/**
 * The work items of a Winograd kernel (fp32 and int8 alike): the NT output tiles of each image are cut into NB blocks
 * of up to {@code tiles} consecutive tiles, and work item idx is block idx mod NB of image idx / NB, its tiles
 * [t0, t0 + tlen). The parallel range the templates report is batch × NB, so the split is declared here once.
 */
record WinogradBlocks(Var nt, Var nb, Var idx, Var b, Var t0, Var tlen) {
    static WinogradBlocks declare() {
        return new WinogradBlocks(Var.i64("NT"), Var.i64("NB"), Var.i64("idx"), Var.i64("b"), Var.i64("t0"),
                Var.i64("tlen"));
    }

    /** NB = ⌈NT / tiles⌉; NT must be declared before. */
    Stmt declareCount(int tiles) {
        return new Stmt.Declare(nb, nt.plus(tiles - 1).div(of(tiles)));
    }

    /**
     * The loop over the tile blocks this call's work items [BEGIN, END) touch when each block is cut into
     * {@code slices}' slices of output channels (item idx = block idx / slices, slice idx % slices): b, t0, tlen
     * and the owned channels [lo, hi) declared, then {@code body}. A block's input transform runs once per call
     * that touches it, so one thread transforms each block once, and two threads split a layer of a single block.
     */
    Stmt slicedLoop(int tiles, OwnedSlices slices, Var lo, Var hi, Stmt... body) {
        return slices.blocks(idx, lo, hi, item(tiles, body));
    }

    /** The loop over this call's work items [BEGIN, END): b, t0 and tlen declared, then {@code body}. */
    Stmt loop(int tiles, Stmt... body) {
        return new Stmt.For(idx, LoopKernel.BEGIN, LoopKernel.END, 1, Stmt.Kind.SERIAL,
                new Stmt.Seq(item(tiles, body)));
    }

    /** Block idx's image b and tiles [t0, t0 + tlen), declared, then the body. */
    private List<Stmt> item(int tiles, Stmt... body) {
        List<Stmt> item = new ArrayList<>(List.of(
                new Stmt.Declare(b, idx.div(nb)),
                new Stmt.Declare(t0, new Expr.Bin(Expr.Op.MOD, idx, nb).times(tiles)),
                new Stmt.Declare(tlen, Expr.min(of(tiles), nt.minus(t0)))));
        item.addAll(List.of(body));
        return item;
    }
}
