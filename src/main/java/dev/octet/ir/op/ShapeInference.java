package dev.octet.ir.op;

import dev.octet.ir.Graph;
import dev.octet.ir.Node;
import dev.octet.ir.OctetException;
import dev.octet.ir.Storage;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.Value;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Infers the type of every value of a graph, node by node, and folds small constant subgraphs on the way (so the
 * Shape→Gather→Concat→Reshape chains of exported models resolve to concrete shapes once input shapes are known).
 * A node's outputs are constant when all its inputs are, or when its operator can tell them from the input types
 * alone ({@link Operator#constantOutputs}: Shape of a tensor of static shape).
 */
public final class ShapeInference {
    /** Constant subgraphs are evaluated during inference when each of their outputs has at most this many elements. */
    public static final int FOLD_LIMIT = 1 << 16;

    /**
     * @param types the type of every value (inputs, constants, node outputs)
     * @param constants values known before running: the graph's constants plus the small folded ones
     */
    public record Result(Map<String, TensorType> types, Map<String, Tensor> constants) {
        public TensorType type(String value) {
            return types.get(value);
        }
    }

    private ShapeInference() {
    }

    /**
     * Infers types with the graph inputs bound to the given types; inputs not in the map keep their declared type.
     * Fails with an {@link OctetException} naming the first node whose inputs do not fit it.
     */
    public static Result infer(Graph graph, Map<String, TensorType> inputTypes) {
        Map<String, TensorType> types = new HashMap<>();
        Map<String, Tensor> constants = new HashMap<>(graph.constants());
        graph.constants().forEach((name, t) -> types.put(name, t.type()));
        for (Value v : graph.inputs()) {
            types.put(v.name(), inputTypes.getOrDefault(v.name(), v.type()));
        }
        for (Node node : graph.nodes()) {
            Operator op = OperatorRegistry.forNode(node);
            int opset = graph.opset(node.domain());
            List<TensorType> inTypes = new ArrayList<>();
            List<Tensor> inConstants = new ArrayList<>();
            boolean allConstant = true;
            for (String in : node.inputs()) {
                inTypes.add(in.isEmpty() ? null : types.get(in));
                Tensor c = in.isEmpty() ? null : constants.get(in);
                inConstants.add(c);
                allConstant &= in.isEmpty() || c != null;
            }
            InferenceContext ctx = new InferenceContext(node, opset, inTypes, inConstants);
            List<TensorType> outTypes = inferNode(op, ctx);
            for (int i = 0; i < node.outputs().size(); i++) {
                if (!node.outputs().get(i).isEmpty()) {
                    types.put(node.outputs().get(i), outTypes.get(i));
                }
            }
            List<Tensor> values = null;
            if (allConstant && !node.inputs().isEmpty() && small(outTypes)) {
                values = evaluate(op, new EvalContext(node, opset, inConstants));
            } else if (small(outTypes)) {
                values = constantOutputs(op, ctx);
            }
            if (values != null) {
                for (int i = 0; i < node.outputs().size(); i++) {
                    if (!node.outputs().get(i).isEmpty()) {
                        constants.put(node.outputs().get(i), values.get(i));
                    }
                }
            }
        }
        return new Result(types, constants);
    }

    /** Runs one operator's inference, turning an unexpected failure into a clear error naming the node. */
    static List<TensorType> inferNode(Operator op, InferenceContext ctx) {
        List<TensorType> out;
        try {
            out = op.inferTypes(ctx);
        } catch (OctetException e) {
            throw withNode(ctx.node(), e);
        } catch (RuntimeException e) {
            throw new OctetException(ctx.node().describe() + ": inputs do not fit the operator (" + e + ")", e);
        }
        if (out.size() < ctx.outputCount()) {
            throw ctx.fail("has " + ctx.outputCount() + " outputs, the operator gives " + out.size());
        }
        return out;
    }

    /** Outputs that follow from the input types alone ({@link Operator#constantOutputs}), or null. */
    private static List<Tensor> constantOutputs(Operator op, InferenceContext ctx) {
        List<Tensor> out;
        try {
            out = op.constantOutputs(ctx);
        } catch (OctetException e) {
            throw withNode(ctx.node(), e);
        } catch (RuntimeException e) {
            throw new OctetException(ctx.node().describe() + ": inputs do not fit the operator (" + e + ")", e);
        }
        if (out != null && out.size() < ctx.outputCount()) {
            throw ctx.fail("has " + ctx.outputCount() + " outputs, the operator gives " + out.size());
        }
        return out;
    }

    /** Runs one operator's reference implementation, with the same error handling as inference. */
    public static List<Tensor> evaluate(Operator op, EvalContext ctx) {
        List<Tensor> out;
        try {
            out = op.evaluate(ctx);
        } catch (OctetException e) {
            throw withNode(ctx.node(), e);
        } catch (RuntimeException e) {
            throw new OctetException(ctx.node().describe() + ": evaluation failed (" + e + ")", e);
        } catch (OutOfMemoryError e) {
            throw new OctetException(ctx.node().describe() + ": ran out of memory in this JVM's "
                    + Storage.mib(Runtime.getRuntime().maxMemory())
                    + " heap (raise it with -Xmx, e.g. OCTET_JAVA_OPTS=-Xmx8g)");
        }
        if (out.size() < ctx.outputCount()) {
            throw ctx.fail("has " + ctx.outputCount() + " outputs, the operator gives " + out.size());
        }
        return out;
    }

    private static OctetException withNode(Node node, OctetException e) {
        String prefix = node.describe();
        if (e.getMessage() != null && e.getMessage().startsWith(prefix)) {
            return e;
        }
        OctetException wrapped = e instanceof dev.octet.ir.UnsupportedModelException
                ? new dev.octet.ir.UnsupportedModelException(prefix + ": " + e.getMessage())
                : new OctetException(prefix + ": " + e.getMessage(), e);
        return wrapped;
    }

    private static boolean small(List<TensorType> types) {
        for (TensorType t : types) {
            if (t == null || !t.isStatic() || t.elementCount() > FOLD_LIMIT) {
                return false;
            }
        }
        return true;
    }
}
