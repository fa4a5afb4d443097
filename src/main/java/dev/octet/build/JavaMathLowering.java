package dev.octet.build;

import dev.octet.ir.DataType;
import dev.octet.ir.Node;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.runtime.ArithmeticStep;
import dev.octet.runtime.BatchedMatMulStep;
import dev.octet.runtime.OperatorStep;
import dev.octet.runtime.ReduceMeanStep;
import dev.octet.runtime.SoftmaxStep;
import dev.octet.runtime.Step;

/**
 * Lowers the fp32 math the native kernels do not cover to Java steps that give the reference's values exactly:
 * Softmax and ReduceMean over the last axis, and Add/Sub/Mul/Div (any broadcast), Pow by the constant 2 and Sqrt
 * where the native elementwise chains did not take them, and MatMul of two computed tensors (attention) where the
 * native MatMul did not take it. Each keeps the node's reference step for other inputs.
 */
final class JavaMathLowering {
    private JavaMathLowering() {
    }

    static ModelCompiler.Lowered lower(GraphFacts facts, Node n) {
        if (!n.domain().isEmpty() || n.inputs().isEmpty() || n.outputs().size() != 1 || !float32(facts, n.input(0))) {
            return null;
        }
        int opset = facts.graph().opset(n.domain());
        Step ref = new OperatorStep(n, opset);
        String in = n.input(0);
        String out = n.outputs().get(0);
        Step step = switch (n.opType()) {
            case "Softmax" -> new SoftmaxStep(in, out, n.attributes().getInt("axis", opset < 13 ? 1 : -1), ref);
            case "ReduceMean" -> reduceMean(facts, n, opset, ref);
            case "Add", "Sub", "Mul", "Div" -> n.inputs().size() == 2 && float32(facts, n.input(1))
                    ? new ArithmeticStep(in, n.input(1), out, ArithmeticStep.Op.valueOf(n.opType().toUpperCase()), ref)
                    : null;
            case "Pow" -> n.inputs().size() == 2 && isTwo(facts.graph().constants().get(n.input(1)), facts.type(in))
                    ? new ArithmeticStep(in, null, out, ArithmeticStep.Op.SQUARE, ref) : null;
            case "Sqrt" -> new ArithmeticStep(in, null, out, ArithmeticStep.Op.SQRT, ref);
            case "MatMul" -> n.inputs().size() == 2 && float32(facts, n.input(1))
                    ? new BatchedMatMulStep(in, n.input(1), out, ref) : null;
            default -> null;
        };
        return step == null ? null : new ModelCompiler.Lowered(lib -> step);
    }

    /** One axis given as an attribute, with kept dimensions (opsets before 18), that is the input's last. */
    private static Step reduceMean(GraphFacts facts, Node n, int opset, Step ref) {
        long[] axes = n.attributes().getInts("axes");
        if (opset >= 18 || n.inputs().size() > 1 || axes == null || axes.length != 1
                || n.attributes().getInt("keepdims", 1) != 1) {
            return null;
        }
        TensorType t = facts.type(n.input(0));
        if (axes[0] != -1 && axes[0] != t.rank() - 1) {
            return null; // another axis: the step would always hand it to the reference
        }
        return new ReduceMeanStep(n.input(0), n.outputs().get(0), axes[0], ref);
    }

    /** A constant exponent 2 that does not raise the base's rank by broadcasting (x² keeps the base's shape). */
    private static boolean isTwo(Tensor t, TensorType base) {
        return t != null && t.size() == 1 && t.dtype().isFloat() && t.getDouble(0) == 2.0 && base != null
                && t.rank() <= base.rank();
    }

    private static boolean float32(GraphFacts facts, String value) {
        TensorType t = facts.type(value);
        return t != null && t.dtype() == DataType.FLOAT;
    }
}
