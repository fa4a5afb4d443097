package dev.octet.ir.op.tensor;

import dev.octet.ir.op.Operator;
import java.util.List;

/** Shape manipulation: Reshape, Transpose, Concat, Slice, Gather, Shape.... */
public final class TensorOperators {
    private TensorOperators() {
    }

    /** The operators of this group, for {@link dev.octet.ir.op.OperatorRegistry}. */
    public static List<Operator> all() {
        return List.of();
    }
}
