package dev.octet.ir.op.math;

import dev.octet.ir.DataType;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.op.EvalContext;
import dev.octet.ir.op.InferenceContext;
import dev.octet.ir.op.Operator;
import java.util.EnumSet;
import java.util.List;

/** ONNX Not: logical negation of a BOOL tensor. */
final class Not implements Operator {
    @Override
    public String opType() {
        return "Not";
    }

    @Override
    public List<TensorType> inferTypes(InferenceContext ctx) {
        TensorType x = ctx.inputType(0);
        Elementwise.check(ctx, "input", x.dtype(), EnumSet.of(DataType.BOOL));
        return List.of(x);
    }

    @Override
    public List<Tensor> evaluate(EvalContext ctx) {
        Tensor x = ctx.input(0);
        Elementwise.check(ctx, "input", x.dtype(), EnumSet.of(DataType.BOOL));
        boolean[] in = x.booleans();
        boolean[] out = new boolean[in.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = !in[i];
        }
        return List.of(Tensor.ofBooleans(x.shape(), out));
    }
}
