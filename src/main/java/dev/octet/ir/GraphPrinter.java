package dev.octet.ir;

import java.util.Map;
import java.util.stream.Collectors;

/**
 * Octet's stable text form of a graph, for golden before/after tests of passes and for debugging:
 *
 * <pre>
 * graph NAME (x: f32[1,3,224,224]) -&gt; (y: f32[1,1000])  opsets {"":13}
 *   const w: f32[64,3,7,7]
 *   y0 = Conv(x, w, b) {kernel_shape=[7, 7], strides=[2, 2]}
 *   return y
 * </pre>
 *
 * Values with inferred types print them after a colon where a type map is given. Constants are listed in name
 * order, nodes in the graph's order, attributes sorted by name.
 */
public final class GraphPrinter {
    private GraphPrinter() {
    }

    public static String print(Graph g) {
        return print(g, Map.of());
    }

    /** @param types types to print after each node output (e.g. from shape inference); may be empty */
    public static String print(Graph g, Map<String, TensorType> types) {
        StringBuilder sb = new StringBuilder("graph ").append(g.name().isEmpty() ? "main" : g.name()).append(" (");
        sb.append(g.inputs().stream().map(GraphPrinter::value).collect(Collectors.joining(", ")));
        sb.append(") -> (");
        sb.append(g.outputs().stream().map(GraphPrinter::value).collect(Collectors.joining(", ")));
        sb.append(")  opsets ").append(g.opsets().entrySet().stream()
                .map(e -> "\"" + e.getKey() + "\":" + e.getValue()).collect(Collectors.joining(",", "{", "}")));
        sb.append('\n');
        g.constants().keySet().stream().sorted().forEach(name ->
                sb.append("  const ").append(name).append(": ").append(g.constants().get(name).type()).append('\n'));
        for (Node n : g.nodes()) {
            sb.append("  ").append(n.outputs().stream().map(o -> typed(o, types)).collect(Collectors.joining(", ")));
            sb.append(" = ").append(n.domain().isEmpty() ? "" : n.domain() + ".").append(n.opType());
            sb.append(n.inputs().stream().map(i -> i.isEmpty() ? "_" : i).collect(Collectors.joining(", ", "(", ")")));
            if (!n.attributes().all().isEmpty()) {
                sb.append(' ').append(n.attributes());
            }
            sb.append('\n');
        }
        sb.append("  return ").append(g.outputs().stream().map(Value::name).collect(Collectors.joining(", ")));
        return sb.append('\n').toString();
    }

    private static String value(Value v) {
        return v.name() + (v.type() == null ? "" : ": " + v.type());
    }

    private static String typed(String name, Map<String, TensorType> types) {
        TensorType t = types.get(name);
        return t == null ? name : name + ": " + t;
    }
}
