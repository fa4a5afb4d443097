package dev.octet.ir.op.math;

import dev.octet.ir.DataType;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.op.Broadcast;
import dev.octet.ir.op.EvalContext;
import dev.octet.ir.op.InferenceContext;
import dev.octet.ir.op.Operator;
import java.lang.reflect.Array;
import java.util.EnumSet;
import java.util.List;

/** ONNX Where: X where the BOOL condition holds, else Y; all three broadcast together; X and Y of any one type. */
final class Where implements Operator {
    @Override
    public String opType() {
        return "Where";
    }

    @Override
    public List<TensorType> inferTypes(InferenceContext ctx) {
        TensorType c = ctx.inputType(0);
        TensorType x = ctx.inputType(1);
        TensorType y = ctx.inputType(2);
        Elementwise.check(ctx, "condition", c.dtype(), EnumSet.of(DataType.BOOL));
        Elementwise.checkSame(ctx, x, y);
        return List.of(new TensorType(x.dtype(), Elementwise.broadcastDims(ctx, List.of(c, x, y))));
    }

    @Override
    public List<Tensor> evaluate(EvalContext ctx) {
        Tensor c = ctx.input(0);
        Tensor x = ctx.input(1);
        Tensor y = ctx.input(2);
        Elementwise.check(ctx, "condition", c.dtype(), EnumSet.of(DataType.BOOL));
        Elementwise.checkSame(ctx, x.type(), y.type());
        int[] shape = Elementwise.broadcastShape(ctx, c, x, y);
        int[] ic = Broadcast.indexMap(c.shape(), shape);
        int[] ix = Broadcast.indexMap(x.shape(), shape);
        int[] iy = Broadcast.indexMap(y.shape(), shape);
        boolean[] cond = c.booleans();
        // A copy of whichever storage array the type uses: every value is taken as it is, no arithmetic.
        Object out = Array.newInstance(x.data().getClass().getComponentType(), ic.length);
        for (int i = 0; i < ic.length; i++) {
            Array.set(out, i, cond[ic[i]] ? Array.get(x.data(), ix[i]) : Array.get(y.data(), iy[i]));
        }
        return List.of(Tensor.of(x.dtype(), shape, out));
    }
}
