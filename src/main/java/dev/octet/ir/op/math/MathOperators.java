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
                // Activations
                new Relu(), new LeakyRelu(), new PRelu(), new Clip(), new HardSigmoid(), new HardSwish(),
                new Sigmoid(), new Tanh(), new Softplus(), new Erf(),
                // Arithmetic
                new Add(), new Sub(), new Mul(), new Div(), new Pow(), new Sqrt(), new Neg(), new Abs(), new Exp(),
                new Log(), new Reciprocal(), new Floor(), new Ceil(),
                new Min(), new Max(), new Sum(), new Mean(),
                // Logic
                new Equal(), new Greater(), new GreaterOrEqual(), new Less(), new LessOrEqual(), new Not(),
                new Where(),
                // Normalisation and reductions
                new Softmax(), new LogSoftmax(), new ReduceMean(), new ReduceSum(), new ReduceMax(),
                // Types
                new Cast(), new CastLike(), new Identity());
    }
}
