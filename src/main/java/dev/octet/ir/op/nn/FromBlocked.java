package dev.octet.ir.op.nn;

import dev.octet.ir.Layout;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.op.EvalContext;
import dev.octet.ir.op.InferenceContext;
import dev.octet.ir.op.Operator;
import java.util.List;

/**
 * Octet's layout transform back from a channel-blocked layout to plain NCHW (domain "octet"). Like
 * {@link ToBlocked}, only the recorded layout changes; the reference passes the value through.
 */
final class FromBlocked implements Operator {
    @Override
    public String opType() {
        return "FromBlocked";
    }

    @Override
    public String domain() {
        return "octet";
    }

    @Override
    public List<TensorType> inferTypes(InferenceContext ctx) {
        TensorType x = ctx.inputType(0);
        if (x.rank() != 4) {
            throw ctx.fail("expected an NCHW tensor of rank 4, got " + x);
        }
        return List.of(x.withLayout(Layout.PLAIN));
    }

    @Override
    public List<Tensor> evaluate(EvalContext ctx) {
        return List.of(ctx.input(0));
    }
}
