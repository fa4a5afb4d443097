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
 * A chain of fp32 elementwise operations ({@link ElementwiseChain}) over a tensor cut into planes of P elements:
 * each element is read once, run through the whole chain in registers, and written once. Per-channel, per-plane and
 * scalar operands are loaded once per plane (once per call for scalars), so the inner loop streams the input, the
 * full-shape operands and the output.
 *
 * <p>Valid for fp32 tensors of any rank where every full-shape operand has the output's shape. Where some operand is
 * per channel or per plane, P must be the NCHW plane size (H·W) and C the channel count; otherwise the planes are
 * any cut of the flat tensor (the runtime picks chunks of a few thousand elements, so one large plane still splits
 * across threads). The last plane may be short: T, the element count, bounds every plane.
 *
 * <p>Knobs: {@code inner} 0 = vectorized inner loop, 1 = unrolled; {@code planes} planes per work item.
 *
 * <p>Kernel parameters: buffers {@code x, e0 .. e(k−1), y} (one operand per binary operation, in chain order);
 * scalars {@code P, C, T}; the parallel range is {@code ceil(ceil(T / P) / planes)} work items.
 */
public final class ElementwiseTemplate {
    public static final String NAME = "elementwise";

    private ElementwiseTemplate() {
    }

    public static KnobSpace knobs(ElementwiseChain chain) {
        return new KnobSpace(NAME, List.of(Knob.of("inner", 0, 1), Knob.of("planes", 1, 4, 16)));
    }

    /** Number of parallel work items for {@code total} elements in planes of {@code plane}. */
    public static long parallelRange(long total, long plane, Config c) {
        long planes = (total + plane - 1) / plane;
        return (planes + c.get("planes") - 1) / c.get("planes");
    }

    public static LoopKernel build(ElementwiseChain chain, Config c, String name) {
        Buffer x = Buffer.input("x", ScalarType.F32);
        Buffer y = Buffer.output("y", ScalarType.F32);
        Var p = Var.i64("P");
        Var channels = Var.i64("C");
        Var total = Var.i64("T");
        Var idx = Var.i64("idx");
        Var plane = Var.i64("p");
        Var planeEnd = Var.i64("pend");
        Var base = Var.i64("base");
        Var len = Var.i64("len");
        Var j = Var.i64("j");
        int group = c.get("planes");
        Stmt.Kind inner = c.get("inner") == 0 ? Stmt.Kind.VECTORIZED : Stmt.Kind.UNROLLED;

        List<Buffer> buffers = new ArrayList<>(List.of(x));
        List<Stmt> perCall = new ArrayList<>();
        List<Stmt> perPlane = new ArrayList<>(List.of(
                new Stmt.Declare(base, plane.times(p)),
                new Stmt.Declare(len, Expr.min(p, total.minus(base)))));
        List<Stmt> element = new ArrayList<>();
        Expr value = x.load(base.plus(j));
        int operand = 0;
        int step = 0;
        for (ElementwiseChain.Op op : chain.ops()) {
            Expr e = null;
            if (op instanceof ElementwiseChain.Binary b) {
                Buffer buf = Buffer.input("e" + operand, ScalarType.F32);
                buffers.add(buf);
                Var held = new Var("ev" + operand, ScalarType.F32);
                switch (b.operand()) {
                    case FULL -> e = buf.load(base.plus(j));
                    case SCALAR -> {
                        perCall.add(new Stmt.Declare(held, buf.load(of(0))));
                        e = held;
                    }
                    case CHANNEL -> {
                        perPlane.add(new Stmt.Declare(held, buf.load(new Expr.Bin(Expr.Op.MOD, plane, channels))));
                        e = held;
                    }
                    case PLANE -> {
                        perPlane.add(new Stmt.Declare(held, buf.load(plane)));
                        e = held;
                    }
                }
                operand++;
            }
            // One local per step, so an operation that reads its input twice never copies the chain before it.
            Var t = new Var("t" + step++, ScalarType.F32);
            element.add(new Stmt.Declare(t, ElementwiseChain.apply(op, value, e)));
            value = t;
        }
        element.add(y.store(base.plus(j), value));
        buffers.add(y);
        perPlane.add(new Stmt.For(j, of(0), len, 1, inner, new Stmt.Seq(element)));

        Stmt planes = new Stmt.For(plane, idx.times(group), planeEnd, 1, Stmt.Kind.SERIAL, new Stmt.Seq(perPlane));
        Var count = Var.i64("NP");
        perCall.add(new Stmt.Declare(count, total.plus(p).minus(of(1)).div(p)));
        perCall.add(new Stmt.For(idx, LoopKernel.BEGIN, LoopKernel.END, 1, Stmt.Kind.SERIAL, Stmt.seq(
                new Stmt.Declare(planeEnd, Expr.min(count, idx.plus(1).times(group))), planes)));
        return new LoopKernel(name, buffers, List.of(p, channels, total), new Stmt.Seq(perCall));
    }
}
