package dev.octet.kernel;

import dev.octet.kernel.loop.Expr;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A chain of fp32 elementwise operations applied in order to each element of a tensor: the workload of {@link
 * ElementwiseTemplate}. Binary operations read an extra operand that is either of the tensor's shape, one value per
 * channel (ONNX [1,C,1,1] or [C,1,1]), one value per batch×channel plane (an SE block's [N,C,1,1] scale) or a
 * scalar.
 *
 * <p>Each operation's fp32 formula is written here once and follows the reference operator value for value: + − × ÷
 * are IEEE fp32 operations (the reference's double result rounded once is the same number); ReLU, Clip and the clamps
 * of HardSigmoid/HardSwish select with Java's {@code Math.min/max} semantics (NaN stays NaN, max(−0, +0) is +0), so
 * ReLU and Clip are exact; Sigmoid is {@code 1 / (1 + expf(−x))}, HardSigmoid {@code α·x + β} and HardSwish
 * {@code x · clamp(x/6 + 1/2)} in fp32, each within a few rounding errors of the reference.
 */
public record ElementwiseChain(List<Op> ops) {
    /** How an extra operand is broadcast over the NCHW tensor. */
    public enum Operand { FULL, CHANNEL, PLANE, SCALAR }

    public enum Arithmetic { ADD, SUB, MUL, DIV }

    public sealed interface Op permits Binary, Relu, Clip, Sigmoid, HardSigmoid, HardSwish {
    }

    /** value ∘ operand, or operand ∘ value where {@code operandFirst} (it matters for SUB and DIV). */
    public record Binary(Arithmetic kind, Operand operand, boolean operandFirst) implements Op {
    }

    public record Relu() implements Op {
    }

    /** min(max(x, min), max); an infinite bound does not clip. Bounds are never NaN. */
    public record Clip(float min, float max) implements Op {
        public Clip {
            if (Float.isNaN(min) || Float.isNaN(max)) {
                throw new IllegalArgumentException("NaN clip bound");
            }
        }
    }

    public record Sigmoid() implements Op {
    }

    public record HardSigmoid(float alpha, float beta) implements Op {
    }

    public record HardSwish() implements Op {
    }

    public ElementwiseChain {
        ops = List.copyOf(ops);
        if (ops.isEmpty()) {
            throw new IllegalArgumentException("empty chain");
        }
    }

    /** The operands of the binary operations, in chain order (the kernel's buffers after the input). */
    List<Operand> operands() {
        return ops.stream().filter(o -> o instanceof Binary).map(o -> ((Binary) o).operand()).toList();
    }

    /** True where some operand is indexed by channel or plane (the parallel planes must then be NCHW planes). */
    boolean needsPlanes() {
        return operands().stream().anyMatch(o -> o == Operand.CHANNEL || o == Operand.PLANE);
    }

    /** The fp32 expression of {@code op} applied to {@code v}, with {@code e} the operand's value where binary. */
    public static Expr apply(Op op, Expr v, Expr e) {
        return switch (op) {
            case Binary b -> {
                Expr x = b.operandFirst() ? e : v;
                Expr y = b.operandFirst() ? v : e;
                yield switch (b.kind()) {
                    case ADD -> x.plus(y);
                    case SUB -> x.minus(y);
                    case MUL -> x.times(y);
                    case DIV -> x.div(y);
                };
            }
            case Relu r -> max(v, 0f);
            case Clip c -> {
                Expr lo = c.min() == Float.NEGATIVE_INFINITY ? v : max(v, c.min());
                yield c.max() == Float.POSITIVE_INFINITY ? lo : min(lo, c.max());
            }
            case Sigmoid s -> Expr.f32(1).div(Expr.f32(1).plus(new Expr.Call("expf", List.of(Expr.f32(0).minus(v)))));
            case HardSigmoid h -> max(min(Expr.f32(h.alpha()).times(v).plus(Expr.f32(h.beta())), 1f), 0f);
            case HardSwish h -> v.times(max(min(v.div(Expr.f32(6)).plus(Expr.f32(0.5)), 1f), 0f));
        };
    }

    /** Java's Math.max(v, c) for a constant c: NaN stays NaN, and +0 wins over −0. */
    static Expr max(Expr v, float c) {
        Expr.Op cmp = Float.floatToRawIntBits(c) == Float.floatToRawIntBits(-0f) ? Expr.Op.LT : Expr.Op.LE;
        return new Expr.Select(new Expr.Bin(cmp, v, Expr.f32(c)), Expr.f32(c), v);
    }

    /** Java's Math.min(v, c) for a constant c: NaN stays NaN, and −0 wins over +0. */
    static Expr min(Expr v, float c) {
        Expr.Op cmp = Float.floatToRawIntBits(c) == Float.floatToRawIntBits(-0f) ? Expr.Op.LE : Expr.Op.LT;
        return new Expr.Select(new Expr.Bin(cmp, Expr.f32(c), v), Expr.f32(c), v);
    }

    /** Stable text for tuning-log keys and kernel names, e.g. {@code eltwise_f32[add(full)+relu]}. */
    public String key() {
        return "eltwise_f32[" + ops.stream().map(ElementwiseChain::text).collect(Collectors.joining("+")) + "]";
    }

    private static String text(Op op) {
        return switch (op) {
            case Binary b -> b.kind().name().toLowerCase() + (b.operandFirst() ? "_rev(" : "(")
                    + b.operand().name().toLowerCase() + ")";
            case Relu r -> "relu";
            case Clip c -> "clip(" + c.min() + "," + c.max() + ")";
            case Sigmoid s -> "sigmoid";
            case HardSigmoid h -> "hardsigmoid(" + h.alpha() + "," + h.beta() + ")";
            case HardSwish h -> "hardswish";
        };
    }
}
