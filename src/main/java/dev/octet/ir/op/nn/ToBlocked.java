package dev.octet.ir.op.nn;

import dev.octet.ir.Layout;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.op.EvalContext;
import dev.octet.ir.op.InferenceContext;
import dev.octet.ir.op.Operator;
import java.util.List;

/**
 * Octet's layout transform into a channel-blocked layout (domain "octet", attribute {@code layout}, default
 * "nchw8c"): an NCHW tensor becomes NCHW[x]c, channels padded up to a multiple of x. Only the recorded layout
 * changes: the reference interpreter keeps every value in its logical NCHW order, so the value is passed through.
 */
final class ToBlocked implements Operator {
    @Override
    public String opType() {
        return "ToBlocked";
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
        return List.of(x.withLayout(layout(ctx)));
    }

    @Override
    public List<Tensor> evaluate(EvalContext ctx) {
        layout(ctx);
        return List.of(ctx.input(0));
    }

    private static Layout layout(dev.octet.ir.op.OpContext ctx) {
        String tag = ctx.attrs().getString("layout", Layout.NCHW8C.tag());
        for (Layout l : Layout.values()) {
            if (l != Layout.PLAIN && l.tag().equals(tag)) {
                return l;
            }
        }
        throw ctx.fail("layout \"" + tag + "\" is not a blocked layout (nchw4c, nchw8c)");
    }
}
