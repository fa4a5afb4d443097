package dev.octet.pass;

import dev.octet.ir.Attributes;
import dev.octet.ir.Dim;
import dev.octet.ir.Graph;
import dev.octet.ir.Node;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.op.ShapeInference;
import dev.octet.ir.op.nn.EpilogueStep;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rewrites a MatMul followed by the Add of a constant bias vector (a linear layer as exporters write it) and the
 * elementwise steps after it (see {@link EpilogueMatcher}) into one {@code octet.FusedMatMul} node. A MatMul with
 * nothing to fuse stays as it is.
 */
public final class FuseMatMulEpilogue implements GraphPass {
    private final Set<String> kept;

    public FuseMatMulEpilogue() {
        this(Set.of());
    }

    /** @param kept values to keep stored: fusion stops at each (they stay the output of a node of their own) */
    public FuseMatMulEpilogue(Set<String> kept) {
        this.kept = Set.copyOf(kept);
    }

    @Override
    public Graph apply(Graph g) {
        GraphIndex index = new GraphIndex(g);
        ShapeInference.Result types = ShapeInference.infer(g, Map.of());
        Set<Node> taken = Collections.newSetFromMap(new IdentityHashMap<>());
        EpilogueMatcher matcher = new EpilogueMatcher(index, types, taken, kept);
        Map<Node, Node> replaced = new IdentityHashMap<>();
        for (Node mm : g.nodes().reversed()) {
            if (!mm.opType().equals("MatMul") || !mm.domain().isEmpty()) {
                continue;
            }
            String value = mm.outputs().get(0);
            List<EpilogueStep> steps = new ArrayList<>();
            List<Node> absorbed = new ArrayList<>();
            Node add = kept.contains(value) ? null : index.soleReader(value);
            String bias = add == null || taken.contains(add) ? null : bias(add, value, types.type(value), index);
            if (bias != null) {
                steps.add(EpilogueStep.BIAS);
                absorbed.add(add);
                value = add.outputs().get(0);
            }
            EpilogueMatcher.Match m = matcher.extend(value);
            steps.addAll(m.steps());
            absorbed.addAll(m.absorbed());
            if (steps.isEmpty()) {
                continue;
            }
            List<String> inputs = new ArrayList<>(List.of(mm.input(0), mm.input(1), bias == null ? "" : bias));
            if (m.residual() != null) {
                inputs.add(m.residual());
            }
            replaced.put(mm, new Node(mm.name(), "FusedMatMul", Graphs.OCTET_DOMAIN, inputs, List.of(m.output()),
                    Attributes.of(FuseConvEpilogue.epilogue(steps))));
            absorbed.forEach(n -> replaced.put(n, null));
            taken.addAll(absorbed);
        }
        if (replaced.isEmpty()) {
            return g;
        }
        return Graphs.rebuild(g, Graphs.replace(g.nodes(), replaced), g.constants());
    }

    /** The bias operand of {@code add} if it adds a constant vector along the product's last axis, else null. */
    private static String bias(Node add, String product, TensorType type, GraphIndex index) {
        if (!add.opType().equals("Add") || !add.domain().isEmpty() || add.inputs().size() != 2 || type == null
                || type.rank() == 0) {
            return null;
        }
        String other = add.input(0).equals(product) ? add.input(1) : add.input(1).equals(product) ? add.input(0)
                : null;
        Tensor b = other == null ? null : index.constant(other);
        Dim last = type.dims().get(type.rank() - 1);
        return b != null && b.rank() == 1 && b.dtype() == type.dtype() && last.isKnown() && b.dim(0) == last.value()
                ? other : null;
    }
}
