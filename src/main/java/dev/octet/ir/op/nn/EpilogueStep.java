package dev.octet.ir.op.nn;

import dev.octet.ir.Attribute;
import dev.octet.ir.Attributes;
import dev.octet.ir.Node;
import dev.octet.ir.OctetException;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.op.EvalContext;
import dev.octet.ir.op.InferenceContext;
import dev.octet.ir.op.OpContext;
import dev.octet.ir.op.Operator;
import dev.octet.ir.op.OperatorRegistry;
import dev.octet.ir.op.ShapeInference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One step of the epilogue of Octet's fused operators, as one entry of their {@code epilogue} STRINGS attribute:
 * "bias", "residual", "relu", "clip:MIN:MAX", "hardsigmoid:ALPHA:BETA" or "hardswish" (numbers as
 * {@link Float#toString} prints them). Each step is computed by the reference of the ONNX operator it stands for
 * (Add, Relu, Clip, HardSigmoid, HardSwish), so a fused node gives the bits of the nodes it replaced.
 */
public record EpilogueStep(Kind kind, float a, float b) {
    /** What a step does to the value v. */
    public enum Kind {
        /** v + bias (for a convolution: its own bias, added in the accumulation). */
        BIAS,
        /** v + another tensor of v's shape (a shortcut). */
        RESIDUAL,
        RELU,
        /** min(max(v, a), b). */
        CLIP,
        /** max(0, min(1, a·v + b)). */
        HARDSIGMOID,
        /** v · max(0, min(1, v/6 + 1/2)). */
        HARDSWISH
    }

    /** The opset under which the steps' ONNX operators are run (their modern form: Clip bounds as inputs). */
    static final int ONNX_OPSET = OperatorRegistry.MAX_OPSET;

    public static final EpilogueStep BIAS = new EpilogueStep(Kind.BIAS, 0, 0);
    public static final EpilogueStep RESIDUAL = new EpilogueStep(Kind.RESIDUAL, 0, 0);
    public static final EpilogueStep RELU = new EpilogueStep(Kind.RELU, 0, 0);
    public static final EpilogueStep HARDSWISH = new EpilogueStep(Kind.HARDSWISH, 0, 0);

    public static EpilogueStep clip(float min, float max) {
        return new EpilogueStep(Kind.CLIP, min, max);
    }

    public static EpilogueStep hardSigmoid(float alpha, float beta) {
        return new EpilogueStep(Kind.HARDSIGMOID, alpha, beta);
    }

    /** The attribute entry, e.g. "clip:0.0:6.0". */
    public String text() {
        return switch (kind) {
            case CLIP -> "clip:" + Float.toString(a) + ":" + Float.toString(b);
            case HARDSIGMOID -> "hardsigmoid:" + Float.toString(a) + ":" + Float.toString(b);
            default -> kind.name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    /** The node's {@code epilogue} attribute as steps, failing clearly on an entry outside the vocabulary. */
    public static List<EpilogueStep> of(OpContext ctx) {
        List<String> texts;
        try {
            texts = ctx.attrs().getStrings("epilogue");
        } catch (OctetException e) {
            throw ctx.fail(e.getMessage());
        }
        List<EpilogueStep> steps = new ArrayList<>();
        for (String t : texts == null ? List.<String>of() : texts) {
            steps.add(parse(ctx, t));
        }
        return steps;
    }

    private static EpilogueStep parse(OpContext ctx, String text) {
        String[] parts = text.split(":", -1);
        String expected = "an epilogue step (bias, residual, relu, clip:MIN:MAX, hardsigmoid:ALPHA:BETA, hardswish)";
        try {
            EpilogueStep s = switch (parts[0]) {
                case "bias" -> parts.length == 1 ? BIAS : null;
                case "residual" -> parts.length == 1 ? RESIDUAL : null;
                case "relu" -> parts.length == 1 ? RELU : null;
                case "hardswish" -> parts.length == 1 ? HARDSWISH : null;
                case "clip" -> parts.length == 3 ? clip(Float.parseFloat(parts[1]), Float.parseFloat(parts[2])) : null;
                case "hardsigmoid" -> parts.length == 3
                        ? hardSigmoid(Float.parseFloat(parts[1]), Float.parseFloat(parts[2])) : null;
                default -> null;
            };
            if (s != null) {
                return s;
            }
        } catch (NumberFormatException e) {
            // reported below with the whole entry
        }
        throw ctx.fail("epilogue entry \"" + text + "\" is not " + expected);
    }

    /**
     * Applies the step to v by running the reference of the ONNX operator it stands for.
     *
     * @param operand the bias or residual tensor for BIAS and RESIDUAL, else ignored
     */
    Tensor apply(OpContext outer, Tensor v, Tensor operand) {
        String name = outer.node().name();
        return switch (kind) {
            case BIAS, RESIDUAL -> run(name, "Add", Attributes.empty(), v, operand);
            case RELU -> run(name, "Relu", Attributes.empty(), v);
            case CLIP -> run(name, "Clip", Attributes.empty(), v, Tensor.ofDoubles(v.dtype(), new int[0],
                    new double[] {a}), Tensor.ofDoubles(v.dtype(), new int[0], new double[] {b}));
            case HARDSIGMOID -> run(name, "HardSigmoid",
                    Attributes.of(Attribute.of("alpha", a), Attribute.of("beta", b)), v);
            case HARDSWISH -> run(name, "HardSwish", Attributes.empty(), v);
        };
    }

    /** Type checks of the step on a value of type {@code v}; the operand's type where the step has one. */
    void check(OpContext ctx, TensorType v, TensorType operand) {
        if (!v.dtype().isFloat()) {
            throw ctx.fail("epilogue step " + text() + " needs a float value, got " + v);
        }
        if (kind == Kind.RESIDUAL && (operand.dtype() != v.dtype() || !sameDims(v, operand))) {
            throw ctx.fail("the residual must have the result's type " + v + ", got " + operand);
        }
    }

    private static boolean sameDims(TensorType a, TensorType b) {
        if (a.rank() != b.rank()) {
            return false;
        }
        for (int i = 0; i < a.rank(); i++) {
            var x = a.dims().get(i);
            var y = b.dims().get(i);
            if (x.isKnown() && y.isKnown() && x.value() != y.value()) {
                return false;
            }
        }
        return true;
    }

    /** Runs one ONNX operator's reference on the given inputs, as a node named after the fused one. */
    static Tensor run(String nodeName, String opType, Attributes attrs, Tensor... inputs) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < inputs.length; i++) {
            names.add("in" + i);
        }
        Node node = new Node(nodeName, opType, "", names, List.of("out"), attrs);
        Operator op = OperatorRegistry.forNode(node);
        List<Tensor> in = Arrays.asList(inputs);
        List<TensorType> types = in.stream().map(Tensor::type).toList();
        op.inferTypes(new InferenceContext(node, ONNX_OPSET, types, in));
        return ShapeInference.evaluate(op, new EvalContext(node, ONNX_OPSET, in)).get(0);
    }
}
