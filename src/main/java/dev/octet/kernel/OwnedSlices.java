package dev.octet.kernel;

import static dev.octet.kernel.loop.Expr.of;

import dev.octet.kernel.loop.Expr;
import dev.octet.kernel.loop.LoopKernel;
import dev.octet.kernel.loop.Stmt;
import dev.octet.kernel.loop.Var;
import java.util.ArrayList;
import java.util.List;

/**
 * The parallel split the GEMM templates share (fp32 and int8 conv as GEMM, MatMul): work item {@code idx} is block
 * {@code idx / slices} (of pixels or rows) and slice {@code idx % slices} of the other dimension (output channels
 * or columns), one micro-kernel tile of {@code width} per slice. A work range [BEGIN, END) walks every block it
 * touches once, packs it once, and computes the part [lo, hi) of the slices it owns: one thread running every item
 * packs as often as without slices, and two threads split a layer that is a single block.
 *
 * @param slices slices per block
 * @param width elements per slice (the tile's rows or columns)
 * @param extent elements of the sliced dimension (the last slice may be short)
 */
record OwnedSlices(int slices, int width, int extent) {
    /** The slicing of {@code extent} elements in tiles of {@code width}. */
    static OwnedSlices tiling(int extent, int width) {
        return new OwnedSlices((extent + width - 1) / width, width, extent);
    }

    /**
     * For each block the range touches (its index in {@code block}): {@code lo} and {@code hi} declared as the
     * owned part of the sliced dimension, then {@code body}.
     */
    Stmt blocks(Var block, Var lo, Var hi, List<Stmt> body) {
        Expr owned = block.times(slices);
        List<Stmt> all = new ArrayList<>(List.of(
                new Stmt.Declare(lo, Expr.max(of(0), LoopKernel.BEGIN.minus(owned)).times(width)),
                new Stmt.Declare(hi, Expr.min(of(extent), Expr.min(of(slices), LoopKernel.END.minus(owned))
                        .times(width)))));
        all.addAll(body);
        return new Stmt.For(block, LoopKernel.BEGIN.div(of(slices)), LoopKernel.END.plus(slices - 1).div(of(slices)),
                1, Stmt.Kind.SERIAL, new Stmt.Seq(all));
    }
}
