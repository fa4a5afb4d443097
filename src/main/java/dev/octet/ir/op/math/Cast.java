package dev.octet.ir.op.math;

import dev.octet.ir.DataType;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.op.EvalContext;
import dev.octet.ir.op.InferenceContext;
import dev.octet.ir.op.OpContext;
import dev.octet.ir.op.Operator;
import java.util.List;

/** ONNX Cast: the input's values as the type named by {@code to} (see {@link Conversions} for the rules). */
final class Cast implements Operator {
    @Override
    public String opType() {
        return "Cast";
    }

    private static DataType target(OpContext ctx) {
        long code = ctx.attrs().requireInt("to");
        DataType t = code == (int) code ? DataType.fromOnnx((int) code) : null;
        if (t == null) {
            throw ctx.unsupported("casting to data type " + code + " is not supported");
        }
        return t;
    }

    @Override
    public List<TensorType> inferTypes(InferenceContext ctx) {
        return List.of(new TensorType(target(ctx), ctx.inputType(0).dims()));
    }

    @Override
    public List<Tensor> evaluate(EvalContext ctx) {
        return List.of(Conversions.convert(ctx, ctx.input(0), target(ctx)));
    }
}
