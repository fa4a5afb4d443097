package dev.octet.ir.op.nn;

import dev.octet.ir.DataType;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.op.EvalContext;
import dev.octet.ir.op.InferenceContext;
import dev.octet.ir.op.OpContext;
import dev.octet.ir.op.Operator;
import java.util.List;

/** ONNX Conv (opsets 1-11+): N-d convolution with group, dilations, pads or auto_pad, and an optional bias. */
public final class Conv implements Operator {
    @Override
    public String opType() {
        return "Conv";
    }

    @Override
    public List<TensorType> inferTypes(InferenceContext ctx) {
        TensorType x = ctx.inputType(0);
        TensorType w = ctx.inputType(1);
        checkFloat(ctx, x.dtype(), "X");
        if (w.dtype() != x.dtype()) {
            throw ctx.fail("W is " + w.dtype() + ", expected the type of X (" + x.dtype() + ")");
        }
        if (ctx.hasInput(2)) {
            TensorType b = ctx.inputType(2);
            if (b.dtype() != x.dtype() || b.rank() != 1) {
                throw ctx.fail("bias B must be a vector of " + x.dtype() + ", got " + b);
            }
        }
        return List.of(new TensorType(x.dtype(), Convolution.outputDims(ctx, x, w)));
    }

    @Override
    public List<Tensor> evaluate(EvalContext ctx) {
        Tensor x = ctx.input(0);
        Tensor w = ctx.input(1);
        Tensor b = ctx.hasInput(2) ? ctx.input(2) : null;
        Convolution.Result y = Convolution.compute(ctx, x.shape(), x.toDoubles(), w.shape(), w.toDoubles(),
                b == null ? null : b.toDoubles());
        return List.of(Tensor.ofDoubles(x.dtype(), y.shape(), y.values()));
    }

    static void checkFloat(OpContext ctx, DataType t, String what) {
        if (!t.isFloat()) {
            throw ctx.fail(what + " is " + t + ", expected a float type");
        }
    }
}
