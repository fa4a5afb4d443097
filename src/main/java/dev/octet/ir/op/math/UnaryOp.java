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
import java.util.function.DoubleUnaryOperator;
import java.util.function.LongUnaryOperator;

/**
 * An elementwise operator of one input whose output has the input's type: a subclass gives only its scalar
 * function (in double for float types, exact in long for integer types) and the element types it accepts.
 */
abstract class UnaryOp implements Operator {
    private final String opType;
    private final Set<DataType> types;

    UnaryOp(String opType, Set<DataType> types) {
        this.opType = opType;
        this.types = types;
    }

    @Override
    public final String opType() {
        return opType;
    }

    /** The function on float types, computed in double; attributes are read from {@code ctx}. */
    abstract DoubleUnaryOperator onFloats(OpContext ctx);

    /** The function on integer types; only called where {@link #types} holds integer types. */
    LongUnaryOperator onIntegers(OpContext ctx) {
        throw new IllegalStateException(opType + " has no integer function");
    }

    @Override
    public List<TensorType> inferTypes(InferenceContext ctx) {
        TensorType x = ctx.inputType(0);
        Elementwise.check(ctx, "input", x.dtype(), types);
        onFloats(ctx); // reads the attributes, so a bad one fails before running
        return List.of(x);
    }

    @Override
    public List<Tensor> evaluate(EvalContext ctx) {
        Tensor x = ctx.input(0);
        Elementwise.check(ctx, "input", x.dtype(), types);
        return List.of(x.dtype().isFloat() ? Elementwise.map(x, onFloats(ctx))
                : Elementwise.mapLongs(x, onIntegers(ctx)));
    }
}
