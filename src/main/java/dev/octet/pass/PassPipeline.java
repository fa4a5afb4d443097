package dev.octet.pass;

import dev.octet.ir.Graph;
import dev.octet.ir.TensorType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Octet's standard sequence of graph passes for a float model at concrete input shapes: bind the shapes, fold
 * constants, remove export noise (and fold what that uncovers), fold BatchNorm and per-channel scale/shift after
 * convolutions into them, fuse convolution and matrix-product epilogues, fold per-channel scale/shift before
 * unpadded convolutions into them, move convolution chains to NCHW8c; then plan the memory of the result.
 */
public final class PassPipeline {
    /**
     * What the pipeline made of a graph.
     *
     * @param graph the optimised graph
     * @param plan the memory plan of its intermediate values
     * @param steps each pass with the graph's node count after it, in order
     */
    public record Result(Graph graph, MemoryPlan plan, List<Step> steps) {
    }

    /** One pass as it ran: its name and the node counts before and after it. */
    public record Step(String pass, int nodesBefore, int nodesAfter) {
    }

    private final List<GraphPass> passes;

    /** @param inputTypes the concrete type of each graph input (inputs not named keep their declared type) */
    public PassPipeline(Map<String, TensorType> inputTypes) {
        this(standard(inputTypes));
    }

    /** A pipeline running other passes, in order. */
    public PassPipeline(List<GraphPass> passes) {
        this.passes = List.copyOf(passes);
    }

    /** The standard passes, in their order. */
    public static List<GraphPass> standard(Map<String, TensorType> inputTypes) {
        return List.of(new BindInputShapes(inputTypes), new FoldConstants(), new RemoveExportNoise(),
                new FoldConstants(), new FoldBatchNorm(), new FoldScaleShift(), new FuseConvEpilogue(),
                new FuseMatMulEpilogue(), new FoldScaleShiftBeforeConv(), new RewriteLayout());
    }

    List<GraphPass> passes() {
        return passes;
    }

    /** Runs every pass in order. */
    public Graph apply(Graph g) {
        return run(g, false).graph();
    }

    /** Runs every pass in order and plans the memory of the result (which needs static shapes). */
    public Result run(Graph g) {
        return run(g, true);
    }

    private Result run(Graph g, boolean plan) {
        List<Step> steps = new ArrayList<>();
        for (GraphPass p : passes) {
            int before = g.nodes().size();
            g = p.apply(g);
            steps.add(new Step(p.name(), before, g.nodes().size()));
        }
        return new Result(g, plan ? PlanMemory.plan(g) : null, steps);
    }
}
