package dev.octet.kernel;

import static dev.octet.kernel.loop.Expr.of;

import dev.octet.kernel.loop.Buffer;
import dev.octet.kernel.loop.Expr;
import dev.octet.kernel.loop.LoopKernel;
import dev.octet.kernel.loop.Stmt;
import dev.octet.kernel.loop.Var;
import java.util.ArrayList;
import java.util.List;

/**
 * The schedule the per-element int8 templates share (Int8Add, QuantizeLinear, DequantizeLinear): the tensors cut
 * into blocks of {@code block} consecutive elements, one per work item, each block handed to one call of an
 * {@code octet_qelt.h} function that does 8 elements per AVX2 step, {@code unroll} steps per iteration. Written once
 * so the three kernels keep the same knobs, work split and tail handling; only the function and its arguments differ.
 */
final class ElementBlocks {
    private ElementBlocks() {
    }

    /** The knob space of a per-element template: every value valid. */
    static KnobSpace knobs(String template) {
        return new KnobSpace(template, List.of(Knob.of("block", 8192, 2048, 32768), Knob.of("unroll", 2, 1, 4)));
    }

    /** Number of parallel work items for {@code total} elements. */
    static long parallelRange(long total, Config c) {
        return (total + c.get("block") - 1) / c.get("block");
    }

    /**
     * The kernel: scalars {@code T} (the element count) then {@code scalars}; per work item one call
     * {@code function(&streamed[base]..., count, args..., unroll)}.
     */
    static LoopKernel build(String name, Config c, List<Buffer> buffers, List<Var> scalars, String function,
            List<Buffer> streamed, List<Expr> args) {
        Var total = Var.i64("T");
        Var idx = Var.i64("idx");
        Var base = Var.i64("base");
        int block = c.get("block");
        List<Expr> call = new ArrayList<>();
        for (Buffer b : streamed) {
            call.add(new Expr.AddressOf(b, base));
        }
        call.add(Expr.min(of(block), total.minus(base)));
        call.addAll(args);
        call.add(of(c.get("unroll")));
        Stmt body = new Stmt.For(idx, LoopKernel.BEGIN, LoopKernel.END, 1, Stmt.Kind.SERIAL, Stmt.seq(
                new Stmt.Declare(base, idx.times(block)), new Stmt.Eval(new Expr.Call(function, call))));
        List<Var> all = new ArrayList<>();
        all.add(total);
        all.addAll(scalars);
        return new LoopKernel(name, buffers, all, body);
    }
}
