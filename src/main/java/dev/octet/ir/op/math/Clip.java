package dev.octet.ir.op.math;

import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.op.EvalContext;
import dev.octet.ir.op.InferenceContext;
import dev.octet.ir.op.Operator;
import java.util.List;

/**
 * ONNX Clip: min(max(x, lo), hi), so where lo &gt; hi every value becomes hi. Before opset 11 the bounds are the
 * float attributes {@code min} and {@code max}; from 11 they are optional scalar inputs of the input's type (integer
 * types from opset 12). A bound that is absent does not clip.
 */
final class Clip implements Operator {
    @Override
    public String opType() {
        return "Clip";
    }

    @Override
    public List<TensorType> inferTypes(InferenceContext ctx) {
        TensorType x = ctx.inputType(0);
        if (ctx.opset() < 11) {
            Elementwise.check(ctx, "input", x.dtype(), Elementwise.FLOATS);
        } else {
            Elementwise.check(ctx, "input", x.dtype(), Elementwise.NUMERIC);
            for (int i = 1; i <= 2; i++) {
                if (ctx.hasInput(i)) {
                    TensorType bound = ctx.inputType(i);
                    Elementwise.checkSame(ctx, x, bound);
                    if (bound.rank() > 1 || bound.rank() == 1 && bound.dims().get(0).isKnown()
                            && bound.dims().get(0).value() != 1) {
                        throw ctx.fail((i == 1 ? "min" : "max") + " must be a scalar, got " + bound);
                    }
                }
            }
        }
        return List.of(x);
    }

    @Override
    public List<Tensor> evaluate(EvalContext ctx) {
        Tensor x = ctx.input(0);
        if (ctx.opset() < 11) {
            double lo = ctx.attrs().getFloat("min", Float.NEGATIVE_INFINITY);
            double hi = ctx.attrs().getFloat("max", Float.POSITIVE_INFINITY);
            return List.of(Elementwise.map(x, v -> Math.min(Math.max(v, lo), hi)));
        }
        Tensor min = bound(ctx, 1);
        Tensor max = bound(ctx, 2);
        if (x.dtype().isFloat()) {
            double lo = min == null ? Double.NEGATIVE_INFINITY : min.getDouble(0);
            double hi = max == null ? Double.POSITIVE_INFINITY : max.getDouble(0);
            return List.of(Elementwise.map(x, v -> Math.min(Math.max(v, lo), hi)));
        }
        long lo = min == null ? Long.MIN_VALUE : min.getLong(0);
        long hi = max == null ? Long.MAX_VALUE : max.getLong(0);
        return List.of(Elementwise.mapLongs(x, v -> Math.min(Math.max(v, lo), hi)));
    }

    private static Tensor bound(EvalContext ctx, int i) {
        Tensor t = ctx.optionalInput(i);
        if (t != null && t.size() != 1) {
            throw ctx.fail((i == 1 ? "min" : "max") + " must be a scalar, got shape " + t.type());
        }
        return t;
    }
}
