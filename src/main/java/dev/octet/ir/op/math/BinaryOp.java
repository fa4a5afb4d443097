package dev.octet.ir.op.math;

import dev.octet.ir.DataType;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.op.EvalContext;
import dev.octet.ir.op.InferenceContext;
import dev.octet.ir.op.OpContext;
import dev.octet.ir.op.Operator;
import java.util.List;
import java.util.Set;
import java.util.function.DoubleBinaryOperator;
import java.util.function.LongBinaryOperator;

/**
 * An elementwise operator of two inputs of one element type, broadcast together (numpy rules), whose output has
 * that type: a subclass gives only its scalar functions and the element types it accepts.
 */
abstract class BinaryOp implements Operator {
    private final String opType;
    private final Set<DataType> types;

    BinaryOp(String opType, Set<DataType> types) {
        this.opType = opType;
        this.types = types;
    }

    @Override
    public final String opType() {
        return opType;
    }

    /** The function on float types, computed in double. */
    abstract DoubleBinaryOperator onFloats(OpContext ctx);

    /** The exact function on integer types; its result is wrapped to the type's width. */
    LongBinaryOperator onIntegers(OpContext ctx) {
        throw new IllegalStateException(opType + " has no integer function");
    }

    @Override
    public List<TensorType> inferTypes(InferenceContext ctx) {
        TensorType a = ctx.inputType(0);
        TensorType b = ctx.inputType(1);
        Elementwise.check(ctx, "input A", a.dtype(), types);
        Elementwise.checkSame(ctx, a, b);
        return List.of(new TensorType(a.dtype(), Elementwise.broadcastDims(ctx, List.of(a, b))));
    }

    @Override
    public List<Tensor> evaluate(EvalContext ctx) {
        Tensor a = ctx.input(0);
        Tensor b = ctx.input(1);
        Elementwise.check(ctx, "input A", a.dtype(), types);
        Elementwise.checkSame(ctx, a.type(), b.type());
        return List.of(a.dtype().isFloat() ? Elementwise.zip(ctx, a, b, onFloats(ctx))
                : Elementwise.zipLongs(ctx, a, b, onIntegers(ctx)));
    }
}
