package dev.octet.ir.op.nn;

import dev.octet.ir.DataType;
import dev.octet.ir.Dim;
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
        List<Dim> dims = Convolution.outputDims(ctx, x, w);
        if (ctx.hasInput(2)) {
            checkBias(ctx, ctx.inputType(2), x.dtype(), dims.get(1));
        }
        return List.of(new TensorType(x.dtype(), dims));
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

    /** B is a vector of the given type with one value per output channel (where both sizes are known). */
    static void checkBias(OpContext ctx, TensorType b, DataType dtype, Dim outChannels) {
        boolean sizeOk = b.rank() == 1 && (!outChannels.isKnown() || !b.dims().get(0).isKnown()
                || b.dims().get(0).equals(outChannels));
        if (b.dtype() != dtype || !sizeOk) {
            throw ctx.fail("bias B must be a " + dtype + " vector of one value per output channel (" + outChannels
                    + "), got " + b);
        }
    }

    static void checkFloat(OpContext ctx, DataType t, String what) {
        if (!t.isFloat()) {
            throw ctx.fail(what + " is " + t + ", expected a float type");
        }
    }
}
