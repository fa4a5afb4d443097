package dev.octet.ir.op.quant;

import dev.octet.ir.DataType;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.op.EvalContext;
import dev.octet.ir.op.InferenceContext;
import dev.octet.ir.op.OpContext;
import dev.octet.ir.op.Operator;
import java.util.List;

/**
 * ONNX MatMulInteger (opset 10): numpy.matmul of (a − a_zero_point) and (b − b_zero_point) into int32. Zero points
 * are optional (default 0) and per tensor, per row of a or per column of b ({@link IntegerMatMul#parameterIndex}).
 * The int32 result wraps where it overflows, as 32-bit accumulators do (only for reductions longer than 33 000).
 */
final class MatMulInteger implements Operator {
    @Override
    public String opType() {
        return "MatMulInteger";
    }

    @Override
    public List<TensorType> inferTypes(InferenceContext ctx) {
        TensorType a = ctx.inputType(0);
        TensorType b = ctx.inputType(1);
        checkTypes(ctx, a, ctx.hasInput(2) ? ctx.inputType(2) : null, "a");
        checkTypes(ctx, b, ctx.hasInput(3) ? ctx.inputType(3) : null, "b");
        return List.of(new TensorType(DataType.INT32, IntegerMatMul.outputDims(ctx, a, b)));
    }

    @Override
    public List<Tensor> evaluate(EvalContext ctx) {
        Tensor a = ctx.input(0);
        Tensor b = ctx.input(1);
        long[] ca = centred(ctx, a, ctx.optionalInput(2), IntegerMatMul.promoteLeft(a.shape()), true, "a_zero_point");
        long[] cb = centred(ctx, b, ctx.optionalInput(3), IntegerMatMul.promoteRight(b.shape()), false,
                "b_zero_point");
        IntegerMatMul.Product p = IntegerMatMul.multiply(ca, a.shape(), cb, b.shape());
        long[] y = p.values();
        for (int i = 0; i < y.length; i++) {
            y[i] = (int) y[i];
        }
        return List.of(Tensor.ofLongs(DataType.INT32, p.shape(), y));
    }

    private static long[] centred(OpContext ctx, Tensor x, Tensor zeroPoint, int[] promoted, boolean left,
            String what) {
        if (zeroPoint == null) {
            return x.longs();
        }
        int[] index = IntegerMatMul.parameterIndex(ctx, zeroPoint.shape(), promoted, left, what);
        return IntegerMatMul.centred(x.longs(), zeroPoint.longs(), index);
    }

    private static void checkTypes(OpContext ctx, TensorType x, TensorType zeroPoint, String name) {
        if (x.dtype() != DataType.UINT8 && x.dtype() != DataType.INT8) {
            throw ctx.fail("input " + name + " must be uint8 or int8, got " + x);
        }
        if (zeroPoint != null && zeroPoint.dtype() != x.dtype()) {
            throw ctx.fail(name + "_zero_point " + zeroPoint + " must have the type of " + name + " (" + x.dtype()
                    + ")");
        }
    }
}
