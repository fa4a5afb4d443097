package dev.octet.ir.op.tensor;

import dev.octet.ir.Dim;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.op.EvalContext;
import dev.octet.ir.op.InferenceContext;
import dev.octet.ir.op.OpContext;
import dev.octet.ir.op.Operator;
import java.util.List;

/**
 * SpaceToDepth (opsets 1, 13): moves b×b spatial blocks into channels, [N, C, H, W] to [N, C·b², H/b, W/b], the
 * inverse of DepthToSpace in DCR mode.
 */
final class SpaceToDepth implements Operator {
    @Override
    public String opType() {
        return "SpaceToDepth";
    }

    @Override
    public List<TensorType> inferTypes(InferenceContext ctx) {
        TensorType in = ctx.inputType(0);
        return List.of(new TensorType(in.dtype(), outputDims(ctx, in.dims())));
    }

    @Override
    public List<Tensor> evaluate(EvalContext ctx) {
        Tensor x = ctx.input(0);
        int[] shape = Dims.concrete(outputDims(ctx, Dims.of(x.shape())), "SpaceToDepth");
        int b = (int) ctx.attrs().requireInt("blocksize");
        int[] view = {x.dim(0), x.dim(1), shape[2], b, shape[3], b};
        return List.of(Elements.permute(x, view, new int[] {0, 3, 5, 1, 2, 4}).reshape(shape));
    }

    private static List<Dim> outputDims(OpContext ctx, List<Dim> in) {
        if (in.size() != 4) {
            throw ctx.fail("input must be 4-D [N, C, H, W], got " + in);
        }
        long b = ctx.attrs().requireInt("blocksize");
        if (b <= 0 || b > 1 << 15) {
            throw ctx.fail("blocksize " + b + " is out of range");
        }
        Dim c = in.get(1);
        return List.of(in.get(0), c.isKnown() ? Dim.of(c.value() * b * b) : b == 1 ? c : Dim.unknown(),
                divided(ctx, in.get(2), b), divided(ctx, in.get(3), b));
    }

    private static Dim divided(OpContext ctx, Dim d, long b) {
        if (d.isKnown() && d.value() % b != 0) {
            throw ctx.fail("spatial size " + d + " is not a multiple of blocksize " + b);
        }
        return d.isKnown() ? Dim.of(d.value() / b) : b == 1 ? d : Dim.unknown();
    }
}
