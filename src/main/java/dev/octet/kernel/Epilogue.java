package dev.octet.kernel;

import dev.octet.kernel.loop.Expr;
import java.util.List;

/**
 * The elementwise steps fused after a convolution or GEMM, applied in order to each output value while it is still
 * in cache: bias, a residual add, and activations. One definition of each step's formula, shared by every template
 * and printer (HardSwish is x·clamp(x/6 + 1/2, 0, 1), as ONNX defines it).
 */
public record Epilogue(List<Step> steps) {
    public sealed interface Step permits Bias, Residual, Relu, Clip, HardSigmoid, HardSwish {
    }

    /** Adds bias[output channel]. */
    public record Bias() implements Step {
    }

    /** Adds the element of a second tensor of the output's shape (a ResNet shortcut). */
    public record Residual() implements Step {
    }

    public record Relu() implements Step {
    }

    public record Clip(float min, float max) implements Step {
    }

    public record HardSigmoid(float alpha, float beta) implements Step {
    }

    public record HardSwish() implements Step {
    }

    public Epilogue {
        steps = List.copyOf(steps);
    }

    public static Epilogue none() {
        return new Epilogue(List.of());
    }

    public boolean hasBias() {
        return steps.stream().anyMatch(s -> s instanceof Bias);
    }

    public boolean hasResidual() {
        return steps.stream().anyMatch(s -> s instanceof Residual);
    }

    /** The fp32 expression of the steps applied to {@code v}, given the bias and residual values where used. */
    public Expr apply(Expr v, Expr bias, Expr residual) {
        for (Step s : steps) {
            v = switch (s) {
                case Bias b -> v.plus(bias);
                case Residual r -> v.plus(residual);
                case Relu r -> Expr.max(v, Expr.f32(0));
                case Clip c -> Expr.min(Expr.max(v, Expr.f32(c.min())), Expr.f32(c.max()));
                case HardSigmoid h -> Expr.min(Expr.max(Expr.f32(h.alpha()).times(v).plus(Expr.f32(h.beta())),
                        Expr.f32(0)), Expr.f32(1));
                case HardSwish h -> v.times(Expr.min(Expr.max(v.div(Expr.f32(6)).plus(Expr.f32(0.5)),
                        Expr.f32(0)), Expr.f32(1)));
            };
        }
        return v;
    }

    /** Short text for workload keys, e.g. "bias+relu". */
    @Override
    public String toString() {
        if (steps.isEmpty()) {
            return "none";
        }
        return String.join("+", steps.stream().map(s -> switch (s) {
            case Bias b -> "bias";
            case Residual r -> "residual";
            case Relu r -> "relu";
            case Clip c -> "clip(" + c.min() + "," + c.max() + ")";
            case HardSigmoid h -> "hardsigmoid(" + h.alpha() + "," + h.beta() + ")";
            case HardSwish h -> "hardswish";
        }).toList());
    }
}
