package dev.octet.ir.op.tensor;

import dev.octet.ir.DataType;
import dev.octet.ir.Dim;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.op.EvalContext;
import dev.octet.ir.op.InferenceContext;
import dev.octet.ir.op.Operator;
import java.util.List;

/** Size (opsets 1, 13): the number of elements, an INT64 scalar; a constant where the input shape is static. */
final class Size implements Operator {
    @Override
    public String opType() {
        return "Size";
    }

    @Override
    public List<TensorType> inferTypes(InferenceContext ctx) {
        ctx.inputType(0);
        return List.of(TensorType.of(DataType.INT64));
    }

    @Override
    public List<Tensor> constantOutputs(InferenceContext ctx) {
        Dim n = Dims.product(ctx.inputType(0).dims(), "Size");
        return n.isKnown() ? List.of(Tensor.ofLongs(DataType.INT64, new int[0], n.value())) : null;
    }

    @Override
    public List<Tensor> evaluate(EvalContext ctx) {
        return List.of(Tensor.ofLongs(DataType.INT64, new int[0], ctx.input(0).size()));
    }
}
