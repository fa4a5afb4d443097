package dev.octet.build;

import dev.octet.ir.Node;
import dev.octet.kernel.Config;
import dev.octet.kernel.ElementwiseChain;
import dev.octet.kernel.ElementwiseTemplate;
import dev.octet.kernel.loop.LoopKernel;
import dev.octet.runtime.ElementwiseStep;
import dev.octet.runtime.FusedAwayStep;
import dev.octet.runtime.OperatorStep;
import dev.octet.runtime.Step;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Lowers fp32 Add/Sub/Mul/Div/Relu/Clip/Sigmoid/HardSigmoid/HardSwish to {@link ElementwiseTemplate} kernels, fusing
 * consecutive ones into one chain where the value between them has no other reader: the chain's step takes the
 * place of its first node and computes the last node's output; the other nodes' places hold {@link FusedAwayStep}s.
 * A later node joins only if its extra operand already exists where the chain runs. A kept value (see
 * {@link dev.octet.CompileOptions#keptValues}) ends a chain, so that it is stored.
 */
final class ElementwiseLowering {
    private final GraphFacts facts;
    private final Map<Integer, List<Link>> chains = new HashMap<>();
    private final Map<Integer, String> fusedInto = new HashMap<>();

    ElementwiseLowering(GraphFacts facts, java.util.Set<String> kept) {
        this.facts = facts;
        List<Node> nodes = facts.graph().nodes();
        for (int i = 0; i < nodes.size(); i++) {
            if (fusedInto.containsKey(i) || chains.containsKey(i)) {
                continue;
            }
            Link head = ElementwiseLinks.link(facts, nodes.get(i));
            if (head == null) {
                continue;
            }
            List<Link> chain = new ArrayList<>(List.of(head));
            List<Integer> members = new ArrayList<>();
            Link last = head;
            while (true) {
                String value = last.output();
                if (facts.readers(value) != 1 || facts.isGraphOutput(value) || kept.contains(value)) {
                    break;
                }
                Link next = nextLink(value, i);
                if (next == null) {
                    break;
                }
                chain.add(next);
                members.add(facts.indexOf(next.node()));
                last = next;
            }
            chains.put(i, chain);
            for (int m : members) {
                fusedInto.put(m, last.output());
            }
        }
    }

    /** The one reader of {@code value} as the chain's next link, if its operand exists by node {@code head}. */
    private Link nextLink(String value, int head) {
        int j = facts.firstReader(value);
        if (j <= head || fusedInto.containsKey(j) || chains.containsKey(j)) {
            return null;
        }
        Link l = ElementwiseLinks.link(facts, facts.graph().nodes().get(j));
        if (l == null || !l.input().equals(value)) {
            return null;
        }
        return l.operand() == null || facts.producer(l.operand()) < head ? l : null;
    }

    /** The step of a node: a chain's step at its first node, a placeholder at the others, else null. */
    ModelCompiler.Lowered lower(Node n, Map<String, LoopKernel> kernels) {
        int index = facts.indexOf(n);
        int opset = facts.graph().opset(n.domain());
        if (fusedInto.containsKey(index)) {
            String out = fusedInto.get(index);
            return new ModelCompiler.Lowered(lib -> new FusedAwayStep(new OperatorStep(n, opset), out));
        }
        List<Link> chain = chains.get(index);
        if (chain == null) {
            return null;
        }
        ElementwiseChain workload = new ElementwiseChain(chain.stream().map(Link::op).toList());
        Config config = ElementwiseTemplate.knobs(workload).defaults();
        String key = workload.key() + config;
        LoopKernel kernel = kernels.computeIfAbsent(key,
                k -> ElementwiseTemplate.build(workload, config, "k" + kernels.size()));
        List<ElementwiseStep.Operand> operands = new ArrayList<>();
        List<Step> reference = new ArrayList<>();
        for (Link l : chain) {
            if (l.operand() != null) {
                operands.add(new ElementwiseStep.Operand(l.operand(),
                        ElementwiseStep.Broadcast.valueOf(l.broadcast().name())));
            }
            reference.add(new OperatorStep(l.node(), facts.graph().opset(l.node().domain())));
        }
        String input = chain.get(0).input();
        String output = chain.get(chain.size() - 1).output();
        String what = config + " " + workload.key();
        int planes = config.get("planes");
        return new ModelCompiler.Lowered(lib -> new ElementwiseStep(input, operands, output,
                ModelCompiler.kernel(lib, kernel), planes, reference, what));
    }

    /** One node as a link of a chain: its operation, the chained input, and the extra operand (or null). */
    record Link(Node node, ElementwiseChain.Op op, String input, String operand, ElementwiseChain.Operand broadcast) {
        String output() {
            return node.outputs().get(0);
        }
    }
}
