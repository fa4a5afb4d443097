package dev.octet.pass;

import dev.octet.ir.DataType;
import dev.octet.ir.Node;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.op.ShapeInference;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Which nodes can compute on channel-blocked NCHW values, and which of their inputs are then blocked: a fused
 * convolution (its input and residual), activations and pooling (their input), and elementwise arithmetic on two
 * NCHW values with the same batch and channels, or on one such value and a one-element constant.
 */
final class PerChannel {
    private static final Set<String> UNARY = Set.of("Relu", "Sigmoid", "HardSigmoid", "HardSwish", "LeakyRelu",
            "Tanh", "Clip", "MaxPool", "AveragePool", "GlobalAveragePool", "GlobalMaxPool");
    private static final Set<String> BINARY = Set.of("Add", "Sub", "Mul", "Div");

    private PerChannel() {
    }

    static boolean isFusedConv(Node n) {
        return n.domain().equals(Graphs.OCTET_DOMAIN) && n.opType().equals("FusedConv");
    }

    /** The input slots that would read blocked values, or null where the node cannot work on blocked values. */
    static List<Integer> blockableInputs(Node n, ShapeInference.Result types, GraphIndex index, DataType dtype) {
        for (int i = 1; i < n.outputs().size(); i++) {
            String extra = n.outputs().get(i);
            if (!extra.isEmpty() && (!index.uses(extra).isEmpty() || index.isGraphOutput(extra))) {
                return null; // MaxPool's indices
            }
        }
        TensorType out = n.outputs().isEmpty() ? null : types.type(n.outputs().get(0));
        if (!isNchw(out, dtype)) {
            return null;
        }
        List<Integer> slots = new ArrayList<>();
        if (isFusedConv(n)) {
            slots.add(0);
            if (n.hasInput(3)) {
                slots.add(3);
            }
        } else if (n.domain().isEmpty() && UNARY.contains(n.opType())) {
            for (int i = 1; i < n.inputs().size(); i++) {
                if (n.hasInput(i) && index.constant(n.input(i)) == null) {
                    return null;
                }
            }
            slots.add(0);
        } else if (n.domain().isEmpty() && BINARY.contains(n.opType()) && n.inputs().size() == 2) {
            for (int i = 0; i < 2; i++) {
                Tensor c = index.constant(n.input(i));
                if (c == null) {
                    slots.add(i);
                } else if (c.size() != 1) {
                    return null;
                }
            }
        } else {
            return null;
        }
        for (int slot : slots) {
            TensorType in = types.type(n.input(slot));
            boolean convInput = isFusedConv(n) && slot == 0; // a convolution changes the channel count
            if (!isNchw(in, dtype) || !convInput && (!in.dims().get(0).equals(out.dims().get(0))
                    || !in.dims().get(1).equals(out.dims().get(1)))) {
                return null;
            }
        }
        return slots.isEmpty() ? null : slots;
    }

    /** A rank-4 value of the type whose channel count is known (blocking needs it). */
    private static boolean isNchw(TensorType t, DataType dtype) {
        return t != null && t.rank() == 4 && t.dtype() == dtype && t.dims().get(1).isKnown();
    }
}
