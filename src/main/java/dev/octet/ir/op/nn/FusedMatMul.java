package dev.octet.ir.op.nn;

import dev.octet.ir.Attributes;
import dev.octet.ir.Node;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.op.EvalContext;
import dev.octet.ir.op.InferenceContext;
import dev.octet.ir.op.OpContext;
import dev.octet.ir.op.Operator;
import dev.octet.ir.op.OperatorRegistry;
import java.util.Arrays;
import java.util.List;

/**
 * Octet's fused matrix product (domain "octet"): an ONNX MatMul followed by the elementwise steps of its
 * {@code epilogue} attribute (see {@link EpilogueStep}). Inputs: A, B, the bias ("" if none: a vector as long as
 * the result's last dimension, added after the product as the Add it replaces did) and the residual where a
 * "residual" step is listed. The reference runs the MatMul reference and then each step's ONNX operator.
 */
final class FusedMatMul implements Operator {
    @Override
    public String opType() {
        return "FusedMatMul";
    }

    @Override
    public String domain() {
        return "octet";
    }

    @Override
    public List<TensorType> inferTypes(InferenceContext ctx) {
        List<EpilogueStep> steps = FusedConv.checkedSteps(ctx);
        Node matMul = matMulNode(ctx);
        List<TensorType> types = List.of(ctx.inputType(0), ctx.inputType(1));
        List<Tensor> constants = Arrays.asList(ctx.constant(0), ctx.constant(1));
        TensorType y = OperatorRegistry.forNode(matMul)
                .inferTypes(new InferenceContext(matMul, EpilogueStep.ONNX_OPSET, types, constants)).get(0);
        if (ctx.hasInput(2)) {
            TensorType b = ctx.inputType(2);
            var last = y.rank() == 0 ? null : y.dims().get(y.rank() - 1);
            if (b.rank() != 1 || b.dtype() != y.dtype() || last == null
                    || (last.isKnown() && b.dims().get(0).isKnown() && last.value() != b.dims().get(0).value())) {
                throw ctx.fail("the bias must be a vector of " + y.dtype() + " as long as the last dimension of "
                        + y + ", got " + b);
            }
        }
        for (EpilogueStep s : steps) {
            s.check(ctx, y, s.kind() == EpilogueStep.Kind.RESIDUAL ? ctx.inputType(3) : null);
        }
        return List.of(y);
    }

    @Override
    public List<Tensor> evaluate(EvalContext ctx) {
        List<EpilogueStep> steps = FusedConv.checkedSteps(ctx);
        Node matMul = matMulNode(ctx);
        Tensor y = OperatorRegistry.forNode(matMul)
                .evaluate(new EvalContext(matMul, EpilogueStep.ONNX_OPSET, List.of(ctx.input(0), ctx.input(1))))
                .get(0);
        for (EpilogueStep s : steps) {
            Tensor operand = switch (s.kind()) {
                case BIAS -> ctx.input(2);
                case RESIDUAL -> ctx.input(3);
                default -> null;
            };
            y = s.apply(ctx, y, operand);
        }
        return List.of(y);
    }

    private static Node matMulNode(OpContext ctx) {
        Node n = ctx.node();
        return new Node(n.name(), "MatMul", "", List.of(n.input(0), n.input(1)), List.of("product"),
                Attributes.empty());
    }
}
