package dev.octet.build;

import dev.octet.ir.DataType;
import dev.octet.ir.Node;
import dev.octet.ir.TensorType;
import dev.octet.runtime.OperatorStep;
import dev.octet.runtime.SoftmaxStep;
import dev.octet.runtime.Step;

/** Lowers fp32 Softmax to {@link SoftmaxStep} (the last axis; other axes run the reference step it keeps). */
final class SoftmaxLowering {
    private SoftmaxLowering() {
    }

    static ModelCompiler.Lowered lower(GraphFacts facts, Node n) {
        if (!n.opType().equals("Softmax") || !n.domain().isEmpty() || n.inputs().isEmpty()) {
            return null;
        }
        TensorType t = facts.type(n.input(0));
        if (t == null || t.dtype() != DataType.FLOAT) {
            return null;
        }
        int opset = facts.graph().opset(n.domain());
        long axis = n.attributes().getInt("axis", opset < 13 ? 1 : -1);
        Step step = new SoftmaxStep(n.input(0), n.outputs().get(0), axis, new OperatorStep(n, opset));
        return new ModelCompiler.Lowered(lib -> step);
    }
}
