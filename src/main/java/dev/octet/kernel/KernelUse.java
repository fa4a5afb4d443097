package dev.octet.kernel;

import dev.octet.ir.Node;
import dev.octet.ir.TensorType;

/**
 * One kernel a lowering builds for a graph: the chooser's request, the node it serves, and the type of that node's
 * first input where the graph's shapes are static (else null). What a tuner makes its tasks from.
 */
public record KernelUse(ConfigChooser.Request request, Node node, TensorType inputType) {
}
