package dev.octet.pass;

import dev.octet.ir.Attribute;
import dev.octet.ir.Graph;
import dev.octet.ir.Node;
import dev.octet.ir.op.ShapeInference;
import dev.octet.ir.op.nn.EpilogueStep;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rewrites each Conv, with the elementwise steps after it (ReLU, Clip, HardSigmoid, HardSwish in its exported
 * forms too, a residual Add; see {@link EpilogueMatcher}), into one {@code octet.FusedConv} node whose
 * {@code epilogue} lists the steps in order, "bias" first where the Conv has a bias. Where an Add joins two
 * convolutions, the later one takes it as its residual, so the earlier result is the one kept for the shortcut.
 */
public final class FuseConvEpilogue implements GraphPass {
    private final Set<String> kept;

    public FuseConvEpilogue() {
        this(Set.of());
    }

    /** @param kept values to keep stored: fusion stops at each (they stay the output of a node of their own) */
    public FuseConvEpilogue(Set<String> kept) {
        this.kept = Set.copyOf(kept);
    }

    @Override
    public Graph apply(Graph g) {
        GraphIndex index = new GraphIndex(g);
        Set<Node> taken = Collections.newSetFromMap(new IdentityHashMap<>());
        EpilogueMatcher matcher = new EpilogueMatcher(index, ShapeInference.infer(g, Map.of()), taken, kept);
        Map<Node, Node> replaced = new IdentityHashMap<>();
        for (Node conv : g.nodes().reversed()) {
            if (!conv.opType().equals("Conv") || !conv.domain().isEmpty()) {
                continue;
            }
            EpilogueMatcher.Match m = matcher.extend(conv.outputs().get(0));
            List<EpilogueStep> steps = new ArrayList<>();
            if (conv.hasInput(2)) {
                steps.add(EpilogueStep.BIAS);
            }
            steps.addAll(m.steps());
            List<String> inputs = new ArrayList<>(List.of(conv.input(0), conv.input(1), conv.input(2)));
            if (m.residual() != null) {
                inputs.add(m.residual());
            }
            replaced.put(conv, new Node(conv.name(), "FusedConv", Graphs.OCTET_DOMAIN, inputs, List.of(m.output()),
                    conv.attributes().with(epilogue(steps))));
            m.absorbed().forEach(n -> replaced.put(n, null));
            taken.addAll(m.absorbed());
        }
        if (replaced.isEmpty()) {
            return g;
        }
        return Graphs.rebuild(g, Graphs.replace(g.nodes(), replaced), g.constants());
    }

    static Attribute epilogue(List<EpilogueStep> steps) {
        return Attribute.ofStrings("epilogue", steps.stream().map(EpilogueStep::text).toList());
    }
}
