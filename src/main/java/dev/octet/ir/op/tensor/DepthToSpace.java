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
 * DepthToSpace (opsets 1, 11, 13): moves blocks of channels into b×b spatial blocks, [N, C, H, W] to
 * [N, C/b², H·b, W·b]. Mode DCR (the default) takes the channels depth-major, CRD (opset 11) column-row-depth.
 */
final class DepthToSpace implements Operator {
    @Override
    public String opType() {
        return "DepthToSpace";
    }

    @Override
    public List<TensorType> inferTypes(InferenceContext ctx) {
        TensorType in = ctx.inputType(0);
        return List.of(new TensorType(in.dtype(), outputDims(ctx, in.dims())));
    }

    @Override
    public List<Tensor> evaluate(EvalContext ctx) {
        Tensor x = ctx.input(0);
        int[] shape = Dims.concrete(outputDims(ctx, Dims.of(x.shape())), "DepthToSpace");
        int b = (int) ctx.attrs().requireInt("blocksize");
        int n = x.dim(0);
        int c = shape[1];
        int h = x.dim(2);
        int w = x.dim(3);
        boolean crd = mode(ctx).equals("CRD");
        int[] view = crd ? new int[] {n, c, b, b, h, w} : new int[] {n, b, b, c, h, w};
        int[] perm = crd ? new int[] {0, 1, 4, 2, 5, 3} : new int[] {0, 3, 4, 1, 5, 2};
        return List.of(Elements.permute(x, view, perm).reshape(shape));
    }

    private static String mode(OpContext ctx) {
        String mode = ctx.opset() < 11 ? "DCR" : ctx.attrs().getString("mode", "DCR");
        if (!mode.equals("DCR") && !mode.equals("CRD")) {
            throw ctx.fail("mode must be DCR or CRD, got '" + mode + "'");
        }
        return mode;
    }

    private static List<Dim> outputDims(OpContext ctx, List<Dim> in) {
        if (in.size() != 4) {
            throw ctx.fail("input must be 4-D [N, C, H, W], got " + in);
        }
        mode(ctx);
        long b = ctx.attrs().requireInt("blocksize");
        if (b <= 0 || b > 1 << 15) {
            throw ctx.fail("blocksize " + b + " is out of range");
        }
        Dim c = in.get(1);
        if (c.isKnown() && c.value() % (b * b) != 0) {
            throw ctx.fail("channels " + c + " are not a multiple of blocksize² " + b * b);
        }
        return Dims.checkSize(List.of(in.get(0), c.isKnown() ? Dim.of(c.value() / (b * b)) : Dim.unknown(),
                scaled(in.get(2), b), scaled(in.get(3), b)), "DepthToSpace");
    }

    private static Dim scaled(Dim d, long b) {
        return d.isKnown() ? Dim.of(d.value() * b) : b == 1 ? d : Dim.unknown();
    }
}
