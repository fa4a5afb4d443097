package dev.octet.ir.op.nn;

import dev.octet.ir.DataType;
import dev.octet.ir.Dim;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.op.EvalContext;
import dev.octet.ir.op.InferenceContext;
import dev.octet.ir.op.OpContext;
import dev.octet.ir.op.Operator;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * ONNX Resize. Opset 10: inputs X, scales; mode nearest or linear on asymmetric coordinates (as Upsample). Opsets
 * 11 to 17: inputs X, roi, scales, sizes (an empty tensor or a missing name is absent; exactly one of scales and
 * sizes is given), with the coordinate_transformation_mode, nearest_mode, cubic_coeff_a, exclude_outside and
 * extrapolation_value attributes. The computation is {@link ResizeEngine}'s.
 */
final class Resize implements Operator {
    @Override
    public String opType() {
        return "Resize";
    }

    @Override
    public List<TensorType> inferTypes(InferenceContext ctx) {
        ResizeSettings s = settings(ctx);
        TensorType x = ctx.inputType(0);
        checkTypes(ctx, x, s);
        long[] in = new long[x.rank()];
        for (int a = 0; a < in.length; a++) {
            in[a] = x.dims().get(a).isKnown() ? x.dims().get(a).value() : -1;
        }
        ResizeAxes axes = axes(ctx, in, s, ctx::constant);
        List<Dim> out = new ArrayList<>();
        for (int a = 0; a < in.length; a++) {
            out.add(axes == null ? Dim.unknown() : axes.outLengths()[a] >= 0 ? Dim.of(axes.outLengths()[a])
                    : axes.keepsAxis(a) ? x.dims().get(a) : Dim.unknown());
        }
        OutputSizeLimit.checkKnown(ctx, out);
        return List.of(new TensorType(x.dtype(), out));
    }

    @Override
    public List<Tensor> evaluate(EvalContext ctx) {
        ResizeSettings s = settings(ctx);
        Tensor x = ctx.input(0);
        checkTypes(ctx, x.type(), s);
        long[] in = new long[x.rank()];
        for (int a = 0; a < in.length; a++) {
            in[a] = x.dim(a);
        }
        ResizeAxes axes = axes(ctx, in, s, ctx::optionalInput);
        if (axes == null) {
            throw ctx.fail("needs its scales or sizes input");
        }
        return List.of(ResizeEngine.resize(ctx, x, axes, s));
    }

    private static ResizeSettings settings(OpContext ctx) {
        return ctx.opset() < 11 ? ResizeSettings.legacy(ctx) : ResizeSettings.of(ctx);
    }

    private static void checkTypes(OpContext ctx, TensorType x, ResizeSettings s) {
        if (x.rank() == 0) {
            throw ctx.fail("input must have rank 1 or more, got a scalar");
        }
        ResizeEngine.checkSupported(ctx, x.dtype(), s);
    }

    /**
     * The geometry from the scales or sizes input; null where a needed input is not known yet (type inference).
     *
     * @param value input i's value, or null where it is unknown or absent
     */
    private static ResizeAxes axes(OpContext ctx, long[] in, ResizeSettings s, IntFunction<Tensor> value) {
        if (ctx.opset() < 11) {
            Tensor scales = value.apply(1);
            return scales == null ? null : ResizeAxes.fromScales(ctx, in, floats(ctx, scales, "scales"), null, s);
        }
        Tensor roi = ctx.hasInput(1) ? value.apply(1) : null;
        Tensor scales = ctx.hasInput(2) ? value.apply(2) : null;
        Tensor sizes = ctx.hasInput(3) ? value.apply(3) : null;
        boolean cropping = s.transform() == ResizeSettings.Transform.TF_CROP_AND_RESIZE;
        if ((ctx.hasInput(2) && scales == null) || (ctx.hasInput(3) && sizes == null)
                || (cropping && ctx.hasInput(1) && roi == null)) {
            return null;
        }
        double[] roiValues = roi == null || roi.size() == 0 ? null : floats(ctx, roi, "roi");
        boolean byScales = scales != null && scales.size() > 0;
        boolean bySizes = sizes != null && sizes.size() > 0;
        if (byScales == bySizes) {
            throw ctx.fail(byScales ? "only one of scales and sizes may be given" : "scales or sizes is required");
        }
        if (byScales) {
            return ResizeAxes.fromScales(ctx, in, floats(ctx, scales, "scales"), roiValues, s);
        }
        if (sizes.dtype() != DataType.INT64) {
            throw ctx.fail("sizes must be int64, got " + sizes.type());
        }
        return ResizeAxes.fromSizes(ctx, in, sizes.toLongs(), roiValues, s);
    }

    private static double[] floats(OpContext ctx, Tensor t, String name) {
        if (!t.dtype().isFloat() || t.rank() != 1) {
            throw ctx.fail(name + " must be a 1-D float tensor, got " + t.type());
        }
        return t.toDoubles();
    }
}
