package dev.octet.ir.op.nn;

import dev.octet.ir.Attribute;
import dev.octet.ir.Attributes;
import dev.octet.ir.Node;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.op.EvalContext;
import dev.octet.ir.op.InferenceContext;
import dev.octet.ir.op.OpContext;
import dev.octet.ir.op.Operator;
import dev.octet.ir.op.OperatorRegistry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Octet's fused convolution (domain "octet"): an ONNX Conv followed by the elementwise steps of its
 * {@code epilogue} attribute (see {@link EpilogueStep}). Inputs: X, W, B ("" if none), and the residual where a
 * "residual" step is listed; the other attributes are the Conv's. "bias" is the Conv's own bias, so it must be the
 * first step when present. The reference runs the Conv reference and then each step's ONNX operator, so a fused
 * graph computes the same bits as the graph it came from. The result has X's layout.
 */
final class FusedConv implements Operator {
    @Override
    public String opType() {
        return "FusedConv";
    }

    @Override
    public String domain() {
        return "octet";
    }

    @Override
    public List<TensorType> inferTypes(InferenceContext ctx) {
        List<EpilogueStep> steps = checkedSteps(ctx);
        Node conv = convNode(ctx);
        List<TensorType> types = new ArrayList<>();
        List<Tensor> constants = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            types.add(ctx.hasInput(i) ? ctx.inputType(i) : null);
            constants.add(ctx.constant(i));
        }
        TensorType y = OperatorRegistry.forNode(conv)
                .inferTypes(new InferenceContext(conv, EpilogueStep.ONNX_OPSET, types, constants)).get(0)
                .withLayout(ctx.inputType(0).layout());
        for (EpilogueStep s : steps) {
            s.check(ctx, y, s.kind() == EpilogueStep.Kind.RESIDUAL ? ctx.inputType(3) : null);
        }
        return List.of(y);
    }

    @Override
    public List<Tensor> evaluate(EvalContext ctx) {
        List<EpilogueStep> steps = checkedSteps(ctx);
        Node conv = convNode(ctx);
        List<Tensor> in = Arrays.asList(ctx.input(0), ctx.input(1), ctx.optionalInput(2));
        Tensor y = OperatorRegistry.forNode(conv).evaluate(new EvalContext(conv, EpilogueStep.ONNX_OPSET, in)).get(0);
        for (EpilogueStep s : steps) {
            if (s.kind() != EpilogueStep.Kind.BIAS) {
                y = s.apply(ctx, y, s.kind() == EpilogueStep.Kind.RESIDUAL ? ctx.input(3) : null);
            }
        }
        return List.of(y);
    }

    /** The steps, checked against the inputs: a bias input iff a leading "bias", a residual iff "residual". */
    static List<EpilogueStep> checkedSteps(OpContext ctx) {
        List<EpilogueStep> steps = EpilogueStep.of(ctx);
        boolean bias = steps.contains(EpilogueStep.BIAS);
        if (bias != ctx.hasInput(2) || (bias && steps.indexOf(EpilogueStep.BIAS) != 0)
                || steps.lastIndexOf(EpilogueStep.BIAS) != steps.indexOf(EpilogueStep.BIAS)) {
            throw ctx.fail("a bias input (input 2) goes with one \"bias\" step, listed first; the epilogue is "
                    + steps.stream().map(EpilogueStep::text).toList());
        }
        checkResidual(ctx, steps);
        return steps;
    }

    static void checkResidual(OpContext ctx, List<EpilogueStep> steps) {
        long residuals = steps.stream().filter(s -> s.kind() == EpilogueStep.Kind.RESIDUAL).count();
        if (residuals > 1 || (residuals == 1) != ctx.hasInput(3) || ctx.inputCount() > 4) {
            throw ctx.fail("a residual input (input 3) goes with one \"residual\" step; the node has "
                    + ctx.inputCount() + " inputs and the epilogue is "
                    + steps.stream().map(EpilogueStep::text).toList());
        }
    }

    /** The plain Conv this node starts with: its attributes but the epilogue, inputs X, W and B. */
    private static Node convNode(OpContext ctx) {
        Node n = ctx.node();
        List<Attribute> attrs = n.attributes().all().stream().filter(a -> !a.name().equals("epilogue")).toList();
        return new Node(n.name(), "Conv", "", List.of(n.input(0), n.input(1), n.input(2)), List.of("conv"),
                Attributes.of(attrs));
    }
}
