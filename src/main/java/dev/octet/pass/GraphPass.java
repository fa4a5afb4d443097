package dev.octet.pass;

import dev.octet.ir.Graph;

/**
 * One graph-to-graph rewrite. Graphs are immutable: a pass returns a new graph (or the same one where it had nothing
 * to do) that computes the same outputs from the same inputs.
 */
public interface GraphPass {
    /**
     * @param g the graph to rewrite
     * @return the rewritten graph
     * @throws dev.octet.ir.OctetException where the graph cannot be analysed (e.g. an operator's inference fails)
     */
    Graph apply(Graph g);

    /** The pass's name as logs and reports print it, e.g. "FoldConstants". */
    default String name() {
        return getClass().getSimpleName();
    }
}
