package dev.octet.ir.op;

import dev.octet.ir.Node;
import dev.octet.ir.UnsupportedModelException;
import dev.octet.ir.op.math.MathOperators;
import dev.octet.ir.op.nn.NnOperators;
import dev.octet.ir.op.quant.QuantOperators;
import dev.octet.ir.op.tensor.TensorOperators;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Every operator Octet implements, by domain and op_type. The list of what Octet claims to support. */
public final class OperatorRegistry {
    /** Opset versions of the default domain that Octet reads. */
    public static final int MIN_OPSET = 9;
    public static final int MAX_OPSET = 17;

    private static final Map<String, Operator> BY_KEY = build();

    private OperatorRegistry() {
    }

    private static Map<String, Operator> build() {
        Map<String, Operator> m = new TreeMap<>();
        for (List<Operator> group : List.of(MathOperators.all(), NnOperators.all(), TensorOperators.all(),
                QuantOperators.all())) {
            for (Operator op : group) {
                if (m.put(key(op.domain(), op.opType()), op) != null) {
                    throw new IllegalStateException("operator registered twice: " + op.opType());
                }
            }
        }
        return Collections.unmodifiableMap(m);
    }

    private static String key(String domain, String opType) {
        return (domain == null || domain.equals("ai.onnx") ? "" : domain) + ":" + opType;
    }

    /** The operator for a node; unsupported ones fail with a message naming the node and operator. */
    public static Operator forNode(Node node) {
        Operator op = BY_KEY.get(key(node.domain(), node.opType()));
        if (op == null) {
            throw new UnsupportedModelException(node.describe() + ": operator '" + node.opType() + "'"
                    + (node.domain().isEmpty() ? "" : " of domain '" + node.domain() + "'")
                    + " is not supported by Octet");
        }
        return op;
    }

    public static boolean supports(String domain, String opType) {
        return BY_KEY.containsKey(key(domain, opType));
    }

    /** Op types of the default domain that Octet implements, sorted. */
    static List<String> supportedOpTypes() {
        return BY_KEY.keySet().stream().filter(k -> k.startsWith(":")).map(k -> k.substring(1)).toList();
    }
}
