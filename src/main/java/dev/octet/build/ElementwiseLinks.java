package dev.octet.build;

import dev.octet.ir.DataType;
import dev.octet.ir.Dim;
import dev.octet.ir.Node;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.kernel.ElementwiseChain;
import dev.octet.kernel.ElementwiseChain.Operand;
import java.util.List;

/**
 * Which nodes {@link dev.octet.kernel.ElementwiseTemplate} covers, and how: fp32 in and out, one output, and for
 * binary operations one input of the output's shape (the chained value) and one operand broadcast as a whole tensor,
 * per channel, per batch×channel plane or as a scalar. Decided on the declared shapes; the step checks each run's
 * concrete shapes.
 */
final class ElementwiseLinks {
    private ElementwiseLinks() {
    }

    /** The node as a chain link, or null where the template does not cover it. */
    static ElementwiseLowering.Link link(GraphFacts facts, Node n) {
        if (!n.domain().isEmpty() || n.outputs().size() != 1 || n.inputs().isEmpty() || n.input(0).isEmpty()) {
            return null;
        }
        TensorType y = facts.type(n.outputs().get(0));
        TensorType x = facts.type(n.input(0));
        if (y == null || x == null || y.dtype() != DataType.FLOAT || x.dtype() != DataType.FLOAT) {
            return null;
        }
        int opset = facts.graph().opset(n.domain());
        ElementwiseChain.Op op = switch (n.opType()) {
            case "Relu" -> new ElementwiseChain.Relu();
            case "Sigmoid" -> new ElementwiseChain.Sigmoid();
            case "HardSwish" -> new ElementwiseChain.HardSwish();
            case "HardSigmoid" -> new ElementwiseChain.HardSigmoid(n.attributes().getFloat("alpha", 0.2f),
                    n.attributes().getFloat("beta", 0.5f));
            case "Clip" -> clip(facts, n, opset);
            default -> null; // binary operations below, or not elementwise
        };
        if (op != null) {
            return n.inputs().size() <= 3 && classify(x, y) == Operand.FULL
                    ? new ElementwiseLowering.Link(n, op, n.input(0), null, null) : null;
        }
        if (!List.of("Add", "Sub", "Mul", "Div").contains(n.opType()) || n.inputs().size() != 2
                || n.input(1).isEmpty()) {
            return null;
        }
        ElementwiseChain.Arithmetic kind = ElementwiseChain.Arithmetic.valueOf(n.opType().toUpperCase());
        Operand a = classify(x, y);
        Operand b = classify(facts.type(n.input(1)), y);
        if (a == Operand.FULL && b != null) {
            return new ElementwiseLowering.Link(n, new ElementwiseChain.Binary(kind, b, false), n.input(0),
                    n.input(1), b);
        }
        if (b == Operand.FULL && a != null) {
            return new ElementwiseLowering.Link(n, new ElementwiseChain.Binary(kind, a, true), n.input(1),
                    n.input(0), a);
        }
        return null;
    }

    /** Clip with constant bounds (attributes before opset 11, constant scalar inputs from 11); null otherwise. */
    private static ElementwiseChain.Op clip(GraphFacts facts, Node n, int opset) {
        float lo = Float.NEGATIVE_INFINITY;
        float hi = Float.POSITIVE_INFINITY;
        if (opset < 11) {
            lo = n.attributes().getFloat("min", lo);
            hi = n.attributes().getFloat("max", hi);
        } else {
            Float min = bound(facts, n, 1, lo);
            Float max = bound(facts, n, 2, hi);
            if (min == null || max == null) {
                return null;
            }
            lo = min;
            hi = max;
        }
        return Float.isNaN(lo) || Float.isNaN(hi) ? null : new ElementwiseChain.Clip(lo, hi);
    }

    private static Float bound(GraphFacts facts, Node n, int i, float absent) {
        if (!n.hasInput(i)) {
            return absent;
        }
        Tensor t = facts.graph().constants().get(n.input(i));
        return t != null && t.dtype() == DataType.FLOAT && t.size() == 1 ? t.floats()[0] : null;
    }

    /**
     * How a value of type {@code o} broadcasts over the output type {@code y}, from the declared dimensions: null
     * where it is none of the template's kinds (or not fp32). Unknown dimensions are taken to match; the step
     * checks each run.
     */
    static Operand classify(TensorType o, TensorType y) {
        if (o == null || o.dtype() != DataType.FLOAT || o.rank() > y.rank()) {
            return null;
        }
        int r = y.rank();
        Dim[] aligned = new Dim[r];
        for (int a = 0; a < r; a++) {
            int k = a - (r - o.rank());
            aligned[a] = k < 0 ? Dim.of(1) : o.dims().get(k);
        }
        boolean allOne = true;
        boolean same = true;
        for (int a = 0; a < r; a++) {
            allOne &= isOne(aligned[a]);
            same &= aligned[a].equals(y.dims().get(a)) || (!isOne(aligned[a]) && !y.dims().get(a).isKnown());
        }
        if (same) {
            return Operand.FULL;
        }
        if (allOne) {
            return Operand.SCALAR;
        }
        boolean planeShaped = r >= 2 && aligned[1].equals(y.dims().get(1)) && !isOne(aligned[1]);
        for (int a = 2; a < r; a++) {
            planeShaped &= isOne(aligned[a]);
        }
        if (!planeShaped) {
            return null;
        }
        return isOne(aligned[0]) ? Operand.CHANNEL : aligned[0].equals(y.dims().get(0)) ? Operand.PLANE : null;
    }

    private static boolean isOne(Dim d) {
        return d.isKnown() && d.value() == 1;
    }
}
