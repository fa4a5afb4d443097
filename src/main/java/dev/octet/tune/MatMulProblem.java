package dev.octet.tune;

import dev.octet.ir.Node;
import dev.octet.ir.Tensor;
import dev.octet.ir.op.EvalContext;
import dev.octet.ir.op.OperatorRegistry;
import dev.octet.kernel.Config;
import dev.octet.kernel.Implementations;
import dev.octet.kernel.KnobSpace;
import dev.octet.kernel.MatMulTemplate;
import dev.octet.kernel.MatMulWorkload;
import dev.octet.kernel.loop.LoopKernel;
import dev.octet.verify.GuardedOutput;
import dev.octet.verify.TestInputs;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** An fp32 matrix product with a constant right operand, measured at {@code rows} rows of X. */
final class MatMulProblem implements Problem {
    private final MatMulWorkload w;
    private final int rows;
    private final Map<TestInputs.Kind, Family> families = new EnumMap<>(TestInputs.Kind.class);

    private record Family(float[] x, float[] weights, float[] bias, float[] res, float[] exact, float[] magnitude) {
    }

    public MatMulProblem(MatMulWorkload w, int rows) {
        if (rows < 1) {
            throw new IllegalArgumentException("rows must be positive");
        }
        this.w = w;
        this.rows = rows;
    }

    @Override
    public String key() {
        return w.key();
    }

    @Override
    public MatMulWorkload workload() {
        return w;
    }

    @Override
    public List<KnobSpace> spaces() {
        return Implementations.matMul(w);
    }

    @Override
    public String geometry() {
        return rows + "x" + w.k() + " · " + w.k() + "x" + w.n();
    }

    @Override
    public LoopKernel kernel(Config c, String name) {
        return MatMulTemplate.build(w, c, name);
    }

    @Override
    public List<Run> runs(Config c) {
        List<Run> runs = new ArrayList<>();
        int outSize = rows * w.n();
        for (TestInputs.Kind kind : TestInputs.Kind.values()) {
            Family f = family(kind);
            List<Arg> args = new ArrayList<>();
            args.add(new Arg(Bytes.of(f.x()), false));
            args.add(new Arg(Bytes.of(MatMulTemplate.packWeights(w, f.weights())), false));
            if (w.epilogue().hasBias()) {
                args.add(new Arg(Bytes.of(f.bias()), false));
            }
            if (w.epilogue().hasResidual()) {
                args.add(new Arg(Bytes.of(f.res()), false));
            }
            args.add(new Arg(Bytes.of(new GuardedOutput(outSize).segment()), true));
            runs.add(new Run(kind.name(), args, new long[] {rows}, MatMulTemplate.parallelRange(w, rows, c), outputs -> {
                GuardedOutput out = new GuardedOutput(outSize);
                Bytes.into(outputs.get(0), out.segment());
                String damage = out.damage();
                return damage != null ? damage : FloatReference.check(kind.name(), out.values(), f.exact(),
                        f.magnitude(), w.k(), w.epilogue());
            }));
        }
        return runs;
    }

    private synchronized Family family(TestInputs.Kind kind) {
        return families.computeIfAbsent(kind, k -> {
            long seed = 31L * k.ordinal() + w.key().hashCode();
            float[] x = TestInputs.floats(k, rows * w.k(), seed + 1);
            float[] wt = TestInputs.floats(k, w.k() * w.n(), seed + 2);
            float[] bias = TestInputs.floats(k, w.n(), seed + 3);
            float[] res = TestInputs.floats(k, rows * w.n(), seed + 4);
            java.util.function.IntUnaryOperator column = i -> i % w.n();
            float[] exact = FloatReference.epilogue(matMul(x, wt), w.epilogue(), bias, res, column, false);
            float[] magnitude = FloatReference.epilogue(matMul(FloatReference.abs(x), FloatReference.abs(wt)),
                    w.epilogue(), FloatReference.abs(bias), FloatReference.abs(res), column, true);
            return new Family(x, wt, bias, res, exact, magnitude);
        });
    }

    private double[] matMul(float[] x, float[] wt) {
        Node mm = Node.of("mm", "MatMul", List.of("x", "w"), List.of("y"));
        return OperatorRegistry.forNode(mm).evaluate(new EvalContext(mm, 13, List.of(
                Tensor.ofFloats(new int[] {rows, w.k()}, x), Tensor.ofFloats(new int[] {w.k(), w.n()}, wt))))
                .get(0).toDoubles();
    }
}
