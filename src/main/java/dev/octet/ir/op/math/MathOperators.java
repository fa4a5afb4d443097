package dev.octet.ir.op.math;

import dev.octet.ir.op.Operator;
import java.util.List;

/** Elementwise arithmetic, activations, reductions, Softmax, Cast, comparisons. */
public final class MathOperators {
    private MathOperators() {
    }

    /** The operators of this group, for {@link dev.octet.ir.op.OperatorRegistry}. */
    public static List<Operator> all() {
        return List.of();
    }
}
