package dev.octet.ir.op.quant;

import dev.octet.ir.DataType;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.op.EvalContext;
import dev.octet.ir.op.InferenceContext;
import dev.octet.ir.op.Operator;
import java.util.List;

/**
 * ONNX DynamicQuantizeLinear (opset 11): quantizes a float tensor to uint8 with a scale and zero point computed
 * from its own range ({@link QuantMath#dynamicUint8}); outputs y, y_scale (float scalar), y_zero_point (uint8
 * scalar).
 */
final class DynamicQuantizeLinear implements Operator {
    @Override
    public String opType() {
        return "DynamicQuantizeLinear";
    }

    @Override
    public List<TensorType> inferTypes(InferenceContext ctx) {
        TensorType x = ctx.inputType(0);
        if (x.dtype() != DataType.FLOAT) {
            throw ctx.fail("input must be float, got " + x);
        }
        return List.of(new TensorType(DataType.UINT8, x.dims()), TensorType.of(DataType.FLOAT),
                TensorType.of(DataType.UINT8));
    }

    @Override
    public List<Tensor> evaluate(EvalContext ctx) {
        Tensor x = ctx.input(0);
        float[] v = x.floats();
        // Comparisons that are false for NaN skip it, as the min/max kernels of ONNX Runtime do.
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float f : v) {
            if (f < min) {
                min = f;
            }
            if (f > max) {
                max = f;
            }
        }
        QuantMath.ScaleAndZeroPoint p = QuantMath.dynamicUint8(min, max);
        long[] y = new long[v.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = QuantMath.quantize(v[i], p.scale(), p.zeroPoint(), DataType.UINT8);
        }
        return List.of(Tensor.ofLongs(DataType.UINT8, x.shape(), y), Tensor.ofFloats(new int[0], p.scale()),
                Tensor.ofLongs(DataType.UINT8, new int[0], p.zeroPoint()));
    }
}
