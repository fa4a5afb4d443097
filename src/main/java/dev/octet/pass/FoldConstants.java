package dev.octet.pass;

import dev.octet.ir.Graph;
import dev.octet.ir.Node;
import dev.octet.ir.OctetException;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.op.EvalContext;
import dev.octet.ir.op.InferenceContext;
import dev.octet.ir.op.Operator;
import dev.octet.ir.op.OperatorRegistry;
import dev.octet.ir.op.ShapeInference;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Replaces each node whose inputs are all constants by the constants its reference implementation computes.
 * Outputs larger than a limit stay computed at run time (a broadcast of a small constant to a huge tensor would
 * only make the model bigger), except for operators that prepare a weight (DequantizeLinear, Transpose, Reshape...),
 * whose folded output replaces the input rather than adding to it.
 */
public final class FoldConstants implements GraphPass {
    /** The default limit, in elements per folded node. */
    public static final int DEFAULT_LIMIT = ShapeInference.FOLD_LIMIT;

    /** Operators that rearrange or decode one weight: folded whatever their size. */
    private static final Set<String> WEIGHT_PREPARATION = Set.of("DequantizeLinear", "Transpose", "Reshape",
            "Flatten", "Squeeze", "Unsqueeze", "Identity", "Cast");

    /** Operators whose output is not a function of their inputs. */
    private static final Set<String> NOT_DETERMINISTIC = Set.of("RandomNormal", "RandomNormalLike", "RandomUniform",
            "RandomUniformLike", "Multinomial", "Bernoulli");

    private final long limit;

    public FoldConstants() {
        this(DEFAULT_LIMIT);
    }

    /** @param limit the most elements a folded node may produce (weight preparation excepted) */
    public FoldConstants(long limit) {
        this.limit = limit;
    }

    @Override
    public Graph apply(Graph g) {
        Map<String, Tensor> constants = new LinkedHashMap<>(g.constants());
        List<Node> kept = new ArrayList<>();
        for (Node n : g.nodes()) {
            List<Tensor> values = foldable(n, constants) ? fold(g, n, constants) : null;
            if (values == null) {
                kept.add(n);
                continue;
            }
            for (int i = 0; i < n.outputs().size(); i++) {
                if (!n.outputs().get(i).isEmpty()) {
                    constants.put(n.outputs().get(i), values.get(i));
                }
            }
        }
        return kept.size() == g.nodes().size() ? g : Graphs.rebuild(g, kept, constants);
    }

    private static boolean foldable(Node n, Map<String, Tensor> constants) {
        if (n.inputs().stream().allMatch(String::isEmpty) || NOT_DETERMINISTIC.contains(n.opType())) {
            return false;
        }
        return n.inputs().stream().allMatch(i -> i.isEmpty() || constants.containsKey(i));
    }

    /** The node's outputs, or null where they are too large to fold. */
    private List<Tensor> fold(Graph g, Node n, Map<String, Tensor> constants) {
        Operator op = OperatorRegistry.forNode(n);
        int opset = g.opset(n.domain());
        List<Tensor> inputs = new ArrayList<>();
        List<TensorType> types = new ArrayList<>();
        for (String in : n.inputs()) {
            Tensor t = in.isEmpty() ? null : constants.get(in);
            inputs.add(t);
            types.add(t == null ? null : t.type());
        }
        List<TensorType> outTypes;
        try {
            outTypes = op.inferTypes(new InferenceContext(n, opset, types, inputs));
        } catch (OctetException e) {
            throw e.getMessage() != null && e.getMessage().startsWith(n.describe()) ? e
                    : new OctetException(n.describe() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new OctetException(n.describe() + ": inputs do not fit the operator (" + e + ")", e);
        }
        double elements = 0; // in double: sizes come from the model and may be absurd
        for (TensorType t : outTypes) {
            if (!t.isStatic()) {
                return null;
            }
            elements += t.dims().stream().mapToDouble(d -> d.value()).reduce(1, (a, b) -> a * b);
        }
        if (elements > limit && !(n.domain().isEmpty() && WEIGHT_PREPARATION.contains(n.opType()))) {
            return null;
        }
        return ShapeInference.evaluate(op, new EvalContext(n, opset, inputs));
    }
}
