package dev.octet.ir.op.quant;

import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.op.EvalContext;
import dev.octet.ir.op.InferenceContext;
import dev.octet.ir.op.Operator;
import java.util.List;

/**
 * Octet's QLinearConv with a fused ReLU or Clip (domain "octet"): ONNX QLinearConv's inputs and attributes plus
 * {@code clamp = [lo, hi]}, the requantize clamp narrowed from the output type's range (see {@link ClampRange}).
 * It is what a DequantizeLinear → Conv → Relu/Clip → QuantizeLinear group computes in integers: quantization is
 * monotonic, so Q(Relu(y)) = max(Q(y), zp_y) and Q(Clip(y, a, b)) = clamp(Q(y), Q(a), Q(b)).
 */
final class ClampedQLinearConv implements Operator {
    private final QLinearConv plain = new QLinearConv();

    @Override
    public String opType() {
        return "ClampedQLinearConv";
    }

    @Override
    public String domain() {
        return "octet";
    }

    @Override
    public List<TensorType> inferTypes(InferenceContext ctx) {
        List<TensorType> y = plain.inferTypes(ctx);
        ClampRange.of(ctx, y.get(0).dtype());
        return y;
    }

    @Override
    public List<Tensor> evaluate(EvalContext ctx) {
        ClampRange c = ClampRange.of(ctx, ctx.input(7).dtype());
        return List.of(QLinearConv.compute(ctx, c.lo(), c.hi()));
    }
}
