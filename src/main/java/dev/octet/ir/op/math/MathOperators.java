package dev.octet.ir.op.math;

import dev.octet.ir.op.Operator;
import java.util.List;

/** Elementwise arithmetic, activations, reductions, Softmax, Cast, comparisons. */
public final class MathOperators {
    private MathOperators() {
    }

    /** The operators of this group, for {@link dev.octet.ir.op.OperatorRegistry}. */
    public static List<Operator> all() {
        return List.of(
                new Relu(), new Clip(), new HardSigmoid(), new HardSwish(), new Sigmoid(),
                new Add(), new Sub(), new Mul(), new Div(), new Pow(), new Sqrt(),
                new Equal(),
                new Softmax(), new LogSoftmax(),
                new ReduceMean(),
                new Cast(), new Identity());
    }
}
