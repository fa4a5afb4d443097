package dev.octet.oracle;

import dev.octet.ir.Graph;
import dev.octet.ir.Node;
import dev.octet.ir.Tensor;
import dev.octet.ir.Value;
import dev.octet.ir.op.Broadcast;
import dev.octet.ir.op.EvalContext;
import dev.octet.ir.op.OperatorRegistry;
import dev.octet.ir.op.ShapeInference;
import dev.octet.runtime.ReferenceInterpreter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Octet's reference interpreter against an oracle on the same inputs, output by output.
 *
 * <p>A comparison (Equal, Greater, Less...) of float values is a discrete decision: where its two operands are
 * equal up to rounding, Octet and the oracle may decide differently and an output computed from the decision
 * (M-LSD masks its score map with {@code maxpool(s) == s}) then differs by far more than rounding at that element,
 * although both computed the same function. Such an output is not called wrong blindly: where an output
 * disagrees, the comparison checks that (1) the decisions' operands agree within the tolerance, (2) every decision
 * taken differently was a tie within the tolerance of the operands' magnitude, and (3) the output agrees when Octet
 * is given the oracle's decisions. Then it agrees, and its detail says how many decisions flipped; else it does
 * not.
 */
public final class Comparison {
    private static final Set<String> DECISIONS = Set.of("Equal", "Greater", "Less", "GreaterOrEqual", "LessOrEqual");

    /** Per output, in the graph's order; and Octet's outputs. */
    public record Report(List<Agreement> outputs, Map<String, Tensor> octetOutputs, double octetSeconds,
            double oracleSeconds) {
        public boolean allAgree() {
            return outputs.stream().allMatch(Agreement::agree);
        }
    }

    private Comparison() {
    }

    /** Runs both and compares every graph output within {@code tolerance} (see {@link Agreement}). */
    public static Report run(Graph graph, Oracle oracle, Map<String, Tensor> inputs, double tolerance) {
        List<Node> decisions = graph.nodes().stream()
                .filter(n -> n.domain().isEmpty() && DECISIONS.contains(n.opType())).toList();
        Set<String> operands = new HashSet<>();
        decisions.forEach(d -> d.inputs().stream().filter(i -> !graph.constants().containsKey(i))
                .forEach(operands::add));
        long start = System.nanoTime();
        Map<String, Tensor> octet = new ReferenceInterpreter(graph).run(inputs, operands);
        double octetSeconds = (System.nanoTime() - start) / 1e9;
        start = System.nanoTime();
        Map<String, Tensor> expected = oracle.run(inputs);
        double oracleSeconds = (System.nanoTime() - start) / 1e9;

        List<Agreement> results = new ArrayList<>();
        for (Value v : graph.outputs()) {
            results.add(Agreement.of(v.name(), octet.get(v.name()), expected.get(v.name()), tolerance));
        }
        Map<String, Tensor> outputs = new LinkedHashMap<>();
        graph.outputs().forEach(v -> outputs.put(v.name(), octet.get(v.name())));
        if (decisions.isEmpty() || results.stream().allMatch(Agreement::agree)) {
            return new Report(results, outputs, octetSeconds, oracleSeconds);
        }
        String why = explainByDecisions(graph, decisions, oracle, inputs, octet, tolerance, results);
        if (!why.isEmpty()) {
            results.replaceAll(r -> r.agree() ? r : r.explained(false, r.detail() + "; not a decision tie: " + why));
        }
        return new Report(results, outputs, octetSeconds, oracleSeconds);
    }

    /**
     * Replaces disagreeing results that the decisions explain by agreeing ones (see the class comment); returns
     * why the others stay unexplained, or "".
     */
    private static String explainByDecisions(Graph graph, List<Node> decisions, Oracle oracle,
            Map<String, Tensor> inputs, Map<String, Tensor> octet, double tolerance, List<Agreement> results) {
        Set<String> wanted = new HashSet<>();
        for (Node d : decisions) {
            d.inputs().stream().filter(i -> !graph.constants().containsKey(i)).forEach(wanted::add);
            wanted.add(d.outputs().getFirst());
        }
        Map<String, Tensor> expected = oracle.run(inputs, wanted);
        int flips = 0;
        for (Node d : decisions) {
            Tensor[] mine = operands(graph, d, inputs, octet);
            Tensor[] theirs = operands(graph, d, Map.of(), expected);
            for (int i = 0; i < 2; i++) {
                Agreement a = Agreement.of(d.input(i), mine[i], theirs[i], tolerance);
                if (!a.agree()) {
                    return "the operands of " + d.describe() + " differ: " + a.detail();
                }
            }
            Tensor myDecision = ShapeInference.evaluate(OperatorRegistry.forNode(d),
                    new EvalContext(d, graph.opset(d.domain()), List.of(mine))).getFirst();
            Tensor theirDecision = expected.get(d.outputs().getFirst());
            int[] shape = theirDecision.shape();
            int[] ia = Broadcast.indexMap(theirs[0].shape(), shape);
            int[] ib = Broadcast.indexMap(theirs[1].shape(), shape);
            double magnitude = Math.max(maxAbs(theirs[0]), maxAbs(theirs[1]));
            for (int e = 0; e < theirDecision.size(); e++) {
                if (myDecision.booleans()[e] != theirDecision.booleans()[e]) {
                    double gap = Math.abs(theirs[0].getDouble(ia[e]) - theirs[1].getDouble(ib[e]));
                    if (!(gap <= tolerance * magnitude)) {
                        return String.format("%s decided element %d differently on operands %.3g apart, more "
                                + "than rounding", d.describe(), e, gap);
                    }
                    flips++;
                }
            }
        }
        // Octet again, with the oracle's decisions fed in place of its own.
        List<Value> newInputs = new ArrayList<>(graph.inputs());
        Map<String, Tensor> feeds = new LinkedHashMap<>(inputs);
        for (Node d : decisions) {
            Tensor t = expected.get(d.outputs().getFirst());
            newInputs.add(new Value(d.outputs().getFirst(), t.type()));
            feeds.put(d.outputs().getFirst(), t);
        }
        List<Node> rest = graph.nodes().stream().filter(n -> !decisions.contains(n)).toList();
        Graph given = new Graph(graph.name(), newInputs, graph.outputs(), rest, graph.constants(),
                graph.valueTypes(), graph.opsets());
        Map<String, Tensor> replay = new ReferenceInterpreter(given).run(feeds);
        for (int i = 0; i < results.size(); i++) {
            Agreement r = results.get(i);
            if (r.agree()) {
                continue;
            }
            Agreement again = Agreement.of(r.output(), replay.get(r.output()), expected.get(r.output()), tolerance);
            if (again.agree()) {
                results.set(i, r.explained(true, String.format("%d of %d decisions (%s) flipped on ties within the "
                        + "tolerance; with the oracle's decisions max_rel %.3g", flips, decisionCount(decisions,
                        expected), String.join(", ", decisions.stream().map(Node::describe).toList()),
                        again.maxRel())));
            }
        }
        return "";
    }

    private static int decisionCount(List<Node> decisions, Map<String, Tensor> values) {
        return decisions.stream().mapToInt(d -> values.get(d.outputs().getFirst()).size()).sum();
    }

    /** The two operands of a decision: constants, graph inputs, or values computed (and returned) by the run. */
    private static Tensor[] operands(Graph graph, Node d, Map<String, Tensor> inputs, Map<String, Tensor> values) {
        Tensor[] t = new Tensor[2];
        for (int i = 0; i < 2; i++) {
            String name = d.input(i);
            t[i] = graph.constants().containsKey(name) ? graph.constants().get(name)
                    : inputs.containsKey(name) ? inputs.get(name) : values.get(name);
        }
        return t;
    }

    private static double maxAbs(Tensor t) {
        double m = 0;
        for (int i = 0; i < t.size(); i++) {
            double v = Math.abs(t.getDouble(i));
            if (!Double.isNaN(v) && !Double.isInfinite(v)) {
                m = Math.max(m, v);
            }
        }
        return m;
    }
}
