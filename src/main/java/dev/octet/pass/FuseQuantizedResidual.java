package dev.octet.pass;

import dev.octet.ir.Attribute;
import dev.octet.ir.Attributes;
import dev.octet.ir.DataType;
import dev.octet.ir.Graph;
import dev.octet.ir.Node;
import dev.octet.ir.Tensor;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Fuses each int8 residual add ({@code octet.QLinearAdd}, from {@link FuseQuantizedAdd}) into the int8
 * convolution (QLinearConv or octet.ClampedQLinearConv, from {@link FuseQuantizedConv}) that produces one of its
 * operands, as one {@code octet.QLinearConvAdd}: the kernel requantizes the convolution to its own u8 parameters
 * and adds the residual in its epilogue, so the convolution's output is never written nor read back (the adds
 * are memory-bound). The result is the two nodes' bit for bit (the reference is the two formulas in sequence).
 *
 * <p>Fused where the convolution's output has the add as its only reader and is not a graph output, and the
 * parameters are per-tensor constants with a u8 residual and a u8 add output (the kernels' residual stage reads
 * u8); the convolution's own output may be u8 or s8 (it only lives in the kernel's registers). Where both
 * operands come from such convolutions, the later one (in the graph's order) is fused and the other operand is
 * the residual input. Runs after {@link FuseQuantizedConv} and {@link FuseQuantizedAdd}; the QDQ export never
 * sees its nodes.
 */
public final class FuseQuantizedResidual implements GraphPass {
    private final Set<String> kept;

    /** Fuses wherever the pattern holds. */
    public FuseQuantizedResidual() {
        this(Set.of());
    }

    /** @param kept values to keep: a convolution whose output is one is not fused (a tap or a check reads it) */
    public FuseQuantizedResidual(Set<String> kept) {
        this.kept = Set.copyOf(kept);
    }

    @Override
    public Graph apply(Graph g) {
        GraphIndex index = new GraphIndex(g);
        Map<Node, Integer> order = new IdentityHashMap<>();
        for (int i = 0; i < g.nodes().size(); i++) {
            order.put(g.nodes().get(i), i);
        }
        Map<Node, Node> replaced = new IdentityHashMap<>();
        for (Node add : g.nodes()) {
            if (!add.domain().equals(Graphs.OCTET_DOMAIN) || !add.opType().equals("QLinearAdd")
                    || !allU8(index, add, 7)) {
                continue;
            }
            Node best = null;
            int operand = -1;
            for (int side : new int[] {0, 3}) {
                Node conv = fusableConv(index, add, add.input(side));
                boolean residualU8 = allU8(index, add, 3 - side + 2);
                if (conv != null && residualU8 && !replaced.containsKey(conv)
                        && (best == null || order.get(conv) > order.get(best))) {
                    best = conv;
                    operand = side;
                }
            }
            if (best == null) {
                continue;
            }
            int residual = 3 - operand;
            List<String> inputs = new ArrayList<>(best.inputs());
            while (inputs.size() < 9) {
                inputs.add(""); // no bias
            }
            inputs.addAll(List.of(add.input(operand + 1), add.input(operand + 2), add.input(residual),
                    add.input(residual + 1), add.input(residual + 2), add.input(6), add.input(7)));
            Attributes attrs = best.attributes();
            long[] addClamp = add.attributes().getInts("clamp", null);
            if (addClamp != null) {
                attrs = attrs.with(Attribute.of("add_clamp", addClamp));
            }
            replaced.put(best, null);
            replaced.put(add, new Node(add.name(), "QLinearConvAdd", Graphs.OCTET_DOMAIN, inputs, add.outputs(),
                    attrs));
        }
        return replaced.isEmpty() ? g : Graphs.rebuild(g, Graphs.replace(g.nodes(), replaced), g.constants());
    }

    /** The int8 convolution producing {@code value} (u8 or s8), read only by the add, or null. */
    private Node fusableConv(GraphIndex index, Node add, String value) {
        Node conv = index.producer(value);
        if (conv == null || kept.contains(value) || !index.onlyReadBy(value, add)) {
            return null;
        }
        boolean plain = conv.domain().isEmpty() && conv.opType().equals("QLinearConv");
        boolean clamped = conv.domain().equals(Graphs.OCTET_DOMAIN) && conv.opType().equals("ClampedQLinearConv");
        Tensor z = index.constant(conv.input(7));
        boolean eightBit = z != null && z.size() == 1 && (z.dtype() == DataType.UINT8 || z.dtype() == DataType.INT8);
        return (plain || clamped) && eightBit ? conv : null;
    }

    /** Whether each listed input is a constant one-element u8 zero point. */
    private static boolean allU8(GraphIndex index, Node n, int... inputs) {
        for (int i : inputs) {
            Tensor z = n.hasInput(i) ? index.constant(n.input(i)) : null;
            if (z == null || z.size() != 1 || z.dtype() != DataType.UINT8) {
                return false;
            }
        }
        return true;
    }
}
