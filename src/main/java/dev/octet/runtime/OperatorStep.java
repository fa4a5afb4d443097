package dev.octet.runtime;

import dev.octet.ir.Node;
import dev.octet.ir.Tensor;
import dev.octet.ir.op.EvalContext;
import dev.octet.ir.op.Operator;
import dev.octet.ir.op.OperatorRegistry;
import dev.octet.ir.op.ShapeInference;
import java.util.ArrayList;
import java.util.List;

/** A node without a native kernel yet, run by its reference implementation (exact, slow). */
public final class OperatorStep implements Step {
    private final Node node;
    private final Operator op;
    private final int opset;

    public OperatorStep(Node node, int opset) {
        this.node = node;
        this.op = OperatorRegistry.forNode(node);
        this.opset = opset;
    }

    @Override
    public void run(ExecutionContext ctx) {
        List<Tensor> in = new ArrayList<>();
        for (String name : node.inputs()) {
            in.add(name.isEmpty() ? null : ctx.get(name));
        }
        List<Tensor> out = ShapeInference.evaluate(op, new EvalContext(node, opset, in));
        for (int i = 0; i < node.outputs().size(); i++) {
            if (!node.outputs().get(i).isEmpty()) {
                ctx.put(node.outputs().get(i), out.get(i));
            }
        }
    }

    @Override
    public String describe() {
        return "reference " + node.opType();
    }
}
