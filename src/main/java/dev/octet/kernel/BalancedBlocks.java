package dev.octet.kernel;

import static dev.octet.kernel.loop.Expr.of;

import dev.octet.kernel.loop.Expr;
import dev.octet.kernel.loop.Stmt;
import dev.octet.kernel.loop.Var;
import java.util.List;

/**
 * The pixel blocks of a GEMM-style kernel: a plane of P pixels cut into NB = ⌈P / nc⌉ blocks of whole tile-width
 * units whose sizes differ by at most one unit, rather than NB − 1 full blocks and a remainder. A 28×28 plane in
 * 256-pixel blocks was 256, 256, 256 and 16 pixels, so two threads that split the blocks by count got 512 and
 * 272 pixels; balanced, the blocks are 256, 192, 192 and 144. The number of blocks (and so the parallel range) is
 * the same, and no block exceeds nc rounded up to whole units. The fp32 and int8 conv-as-GEMM templates use it.
 *
 * @param unit pixels of a unit: the micro-kernel's tile width
 */
record BalancedBlocks(int unit) {
    /**
     * Declares, for block {@code block} of {@code nb} over {@code p} pixels, its first pixel {@code n0} and its
     * length {@code nlen}: the first U mod NB blocks get one unit more, U = ⌈P / unit⌉.
     */
    List<Stmt> declare(Expr block, Var nb, Var p, Var n0, Var nlen) {
        Var units = Var.i64("units");
        Var q = Var.i64("uq");
        Var r = Var.i64("ur");
        Expr longer = new Expr.Bin(Expr.Op.LT, block, r);
        return List.of(
                new Stmt.Declare(units, p.plus(unit - 1).div(of(unit))),
                new Stmt.Declare(q, units.div(nb)),
                new Stmt.Declare(r, new Expr.Bin(Expr.Op.MOD, units, nb)),
                new Stmt.Declare(n0, block.times(q).plus(Expr.min(block, r)).times(unit)),
                new Stmt.Declare(nlen, Expr.min(q.plus(longer).times(unit), p.minus(n0))));
    }
}
