package dev.octet.ir.op.tensor;

import dev.octet.ir.Dim;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.op.EvalContext;
import dev.octet.ir.op.InferenceContext;
import dev.octet.ir.op.OpContext;
import dev.octet.ir.op.Operator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Reshape (opsets 5, 13, 14): 0 copies the input dimension (unless allowzero, opset 14), -1 takes the rest. */
final class Reshape implements Operator {
    @Override
    public String opType() {
        return "Reshape";
    }

    @Override
    public List<TensorType> inferTypes(InferenceContext ctx) {
        TensorType in = ctx.inputType(0);
        Tensor shape = ctx.constant(1);
        List<Dim> dims = shape == null
                ? Dims.unknown(ShapeArgs.length(ctx, ctx.inputType(1), "shape"))
                : outputDims(ctx, in.dims(), ShapeArgs.ints(ctx, shape, "shape"));
        return List.of(new TensorType(in.dtype(), dims));
    }

    @Override
    public List<Tensor> evaluate(EvalContext ctx) {
        Tensor x = ctx.input(0);
        List<Dim> dims = outputDims(ctx, Dims.of(x.shape()), ShapeArgs.ints(ctx, ctx.input(1), "shape"));
        return List.of(x.reshape(Dims.concrete(dims, "Reshape")));
    }

    static List<Dim> outputDims(OpContext ctx, List<Dim> in, long[] shape) {
        boolean allowZero = ctx.opset() >= 14 && ctx.attrs().getInt("allowzero", 0) != 0;
        List<Dim> out = new ArrayList<>();
        int inferred = -1;
        boolean zero = false;
        for (int i = 0; i < shape.length; i++) {
            long v = shape[i];
            if (v == -1) {
                if (inferred >= 0) {
                    throw ctx.fail("shape " + Arrays.toString(shape) + " has more than one -1");
                }
                inferred = i;
                out.add(Dim.of(1));
            } else if (v == 0 && !allowZero) {
                if (i >= in.size()) {
                    throw ctx.fail("shape has 0 at index " + i + " but the input has rank " + in.size());
                }
                out.add(in.get(i));
            } else if (v < 0) {
                throw ctx.fail("shape " + Arrays.toString(shape) + " has a negative dimension " + v);
            } else {
                zero |= v == 0;
                out.add(Dim.of(v));
            }
        }
        if (inferred >= 0) {
            if (zero) {
                throw ctx.fail("with allowzero, shape " + Arrays.toString(shape)
                        + " cannot hold both 0 and -1");
            }
            out.set(inferred, Dims.quotient(in, out, "Reshape"));
            return out;
        }
        Dim inSize = Dims.product(in, "Reshape");
        Dim outSize = Dims.product(out, "Reshape");
        if (inSize.isKnown() && outSize.isKnown() && inSize.value() != outSize.value()) {
            throw ctx.fail("cannot reshape " + in + " (" + inSize + " elements) to " + out + " (" + outSize
                    + " elements)");
        }
        return out;
    }
}
