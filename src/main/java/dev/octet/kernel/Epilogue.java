package dev.octet.kernel;

import dev.octet.ir.op.nn.EpilogueStep;
import dev.octet.kernel.loop.Buffer;
import dev.octet.kernel.loop.Expr;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The elementwise steps fused after a convolution or matrix product (the {@code epilogue} of Octet's fused
 * operators, {@link EpilogueStep}), as kernels compute them in fp32 while the block is in cache.
 */
public record Epilogue(List<EpilogueStep> steps) {
    public Epilogue {
        steps = List.copyOf(steps);
    }

    public static Epilogue none() {
        return new Epilogue(List.of());
    }

    public boolean hasBias() {
        return steps.stream().anyMatch(s -> s.kind() == EpilogueStep.Kind.BIAS);
    }

    public boolean hasResidual() {
        return steps.stream().anyMatch(s -> s.kind() == EpilogueStep.Kind.RESIDUAL);
    }

    /**
     * A kernel's buffer parameters in the order every template and runtime step uses: input, weights, then bias and
     * residual where the epilogue reads them, then the output.
     */
    public List<Buffer> buffers(Buffer input, Buffer weights, Buffer bias, Buffer residual, Buffer output) {
        List<Buffer> b = new ArrayList<>(List.of(input, weights));
        if (hasBias()) {
            b.add(bias);
        }
        if (hasResidual()) {
            b.add(residual);
        }
        b.add(output);
        return b;
    }

    /** The fp32 expression of the steps applied to {@code v}, given the bias and residual values where used. */
    public Expr apply(Expr v, Expr bias, Expr residual) {
        for (EpilogueStep s : steps) {
            v = switch (s.kind()) {
                case BIAS -> v.plus(bias);
                case RESIDUAL -> v.plus(residual);
                case RELU -> Expr.max(v, Expr.f32(0));
                case CLIP -> Expr.min(Expr.max(v, Expr.f32(s.a())), Expr.f32(s.b()));
                case HARDSIGMOID -> Expr.min(Expr.max(Expr.f32(s.a()).times(v).plus(Expr.f32(s.b())), Expr.f32(0)),
                        Expr.f32(1));
                case HARDSWISH -> v.times(Expr.min(Expr.max(v.div(Expr.f32(6)).plus(Expr.f32(0.5)), Expr.f32(0)),
                        Expr.f32(1)));
            };
        }
        return v;
    }

    /** Short text for workload keys, e.g. "bias+relu". */
    @Override
    public String toString() {
        return steps.isEmpty() ? "none" : steps.stream().map(EpilogueStep::text).collect(Collectors.joining("+"));
    }
}
