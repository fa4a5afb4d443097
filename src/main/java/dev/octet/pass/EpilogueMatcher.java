package dev.octet.pass;

import dev.octet.ir.Node;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.op.ShapeInference;
import dev.octet.ir.op.nn.EpilogueStep;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Finds the elementwise steps that follow a value and can run in the epilogue of the node that computes it: ReLU,
 * Clip, HardSigmoid, HardSwish (also in its exported forms x·HardSigmoid(x) with alpha 1/6 and beta 1/2, and
 * x·Clip(x+3, 0, 6)/6), and one residual Add of a value of the same shape (proved by {@link ShapeKeys} where
 * shape inference leaves sizes unknown). Each intermediate value must be read only by the step that consumes it
 * and must be neither a graph output nor a value the caller keeps.
 */
final class EpilogueMatcher {
    /**
     * @param steps the steps in order
     * @param residual the residual operand, or null
     * @param output the value the last step computes (the start value where there are no steps)
     * @param absorbed the nodes the steps replace
     */
    record Match(List<EpilogueStep> steps, String residual, String output, List<Node> absorbed) {
    }

    private record Step(EpilogueStep step, String residual, String output, List<Node> nodes) {
    }

    private final GraphIndex index;
    private final ShapeInference.Result types;
    private final Set<Node> taken;
    private final Set<String> kept;
    private final ShapeKeys shapeKeys;

    /**
     * @param taken nodes already absorbed elsewhere, never matched again (the caller adds to it)
     * @param kept values that must stay stored: no match continues past one
     */
    EpilogueMatcher(GraphIndex index, ShapeInference.Result types, Set<Node> taken, Set<String> kept) {
        this.index = index;
        this.types = types;
        this.taken = taken;
        this.kept = kept;
        this.shapeKeys = new ShapeKeys(index, types);
    }

    /** The longest run of steps after {@code value}. */
    Match extend(String value) {
        List<EpilogueStep> steps = new ArrayList<>();
        List<Node> absorbed = new ArrayList<>();
        String residual = null;
        for (Step s = next(value, true); s != null; s = next(value, residual == null)) {
            steps.add(s.step());
            absorbed.addAll(s.nodes());
            residual = s.residual() != null ? s.residual() : residual;
            value = s.output();
        }
        return new Match(steps, residual, value, absorbed);
    }

    private Step next(String value, boolean residualAllowed) {
        if (index.isGraphOutput(value) || kept.contains(value)) {
            return null;
        }
        Node r = index.soleReader(value);
        if (r != null) {
            return r.domain().isEmpty() && !taken.contains(r) ? single(r, value, residualAllowed) : null;
        }
        List<Node> readers = index.uses(value);
        if (readers.size() != 2 || readers.get(0) == readers.get(1) || readers.stream().anyMatch(taken::contains)) {
            return null;
        }
        Step s = hardSwishBySigmoid(value, readers.get(0), readers.get(1));
        s = s != null ? s : hardSwishBySigmoid(value, readers.get(1), readers.get(0));
        s = s != null ? s : hardSwishByClip(value, readers.get(0), readers.get(1));
        return s != null ? s : hardSwishByClip(value, readers.get(1), readers.get(0));
    }

    private Step single(Node r, String value, boolean residualAllowed) {
        String out = r.outputs().get(0);
        return switch (r.opType()) {
            case "Relu" -> new Step(EpilogueStep.RELU, null, out, List.of(r));
            case "HardSwish" -> new Step(EpilogueStep.HARDSWISH, null, out, List.of(r));
            case "HardSigmoid" -> new Step(EpilogueStep.hardSigmoid(r.attributes().getFloat("alpha", 0.2f),
                    r.attributes().getFloat("beta", 0.5f)), null, out, List.of(r));
            case "Clip" -> {
                float[] bounds = clipBounds(r);
                yield bounds == null ? null
                        : new Step(EpilogueStep.clip(bounds[0], bounds[1]), null, out, List.of(r));
            }
            case "Add" -> {
                String other = other(r, value);
                yield residualAllowed && other != null && index.constant(other) == null && sameShape(value, other)
                        ? new Step(EpilogueStep.RESIDUAL, other, out, List.of(r)) : null;
            }
            default -> null;
        };
    }

    /** x·HardSigmoid(x) with alpha 1/6 and beta 1/2. */
    private Step hardSwishBySigmoid(String x, Node h, Node m) {
        if (!is(h, "HardSigmoid") || !is(m, "Mul") || !x.equals(other(m, h.outputs().get(0)))
                || !index.onlyReadBy(h.outputs().get(0), m)) {
            return null;
        }
        float alpha = h.attributes().getFloat("alpha", 0.2f);
        float beta = h.attributes().getFloat("beta", 0.5f);
        boolean sixth = Math.abs(alpha - 1.0 / 6) <= 1e-6 && beta == 0.5f;
        return sixth ? new Step(EpilogueStep.HARDSWISH, null, m.outputs().get(0), List.of(h, m)) : null;
    }

    /** x·Clip(x+3, 0, 6)/6, as (x·Clip(...))/6 or x·(Clip(...)/6). */
    private Step hardSwishByClip(String x, Node add, Node mul) {
        if (!is(add, "Add") || !is(mul, "Mul") || !constantIs(other(add, x), 3)) {
            return null;
        }
        Node clip = index.soleReader(add.outputs().get(0));
        float[] bounds = is(clip, "Clip") ? clipBounds(clip) : null;
        if (bounds == null || bounds[0] != 0 || bounds[1] != 6) {
            return null;
        }
        String clipped = clip.outputs().get(0);
        Node after = index.soleReader(clipped);
        if (after == mul && clipped.equals(other(mul, x))) {
            Node div = index.soleReader(mul.outputs().get(0));
            return isDivBy6(div, mul.outputs().get(0))
                    ? new Step(EpilogueStep.HARDSWISH, null, div.outputs().get(0), List.of(add, clip, mul, div))
                    : null;
        }
        if (isDivBy6(after, clipped) && index.soleReader(after.outputs().get(0)) == mul
                && after.outputs().get(0).equals(other(mul, x))) {
            return new Step(EpilogueStep.HARDSWISH, null, mul.outputs().get(0), List.of(add, clip, after, mul));
        }
        return null;
    }

    private boolean isDivBy6(Node n, String dividend) {
        return is(n, "Div") && n.input(0).equals(dividend) && constantIs(n.input(1), 6);
    }

    private boolean is(Node n, String opType) {
        return n != null && n.domain().isEmpty() && n.opType().equals(opType) && !taken.contains(n);
    }

    private boolean constantIs(String value, double v) {
        return value != null && index.isScalarConstant(value, v);
    }

    /** The other operand of a binary node that reads {@code value} once, or null. */
    private static String other(Node n, String value) {
        if (n.inputs().size() != 2 || n.input(0).equals(n.input(1))) {
            return null;
        }
        return n.input(0).equals(value) ? n.input(1) : n.input(1).equals(value) ? n.input(0) : null;
    }

    /** Clip's bounds where they are constants (inputs from opset 11, attributes before); null otherwise. */
    private float[] clipBounds(Node clip) {
        if (index.graph().opset("") < 11) {
            return new float[] {clip.attributes().getFloat("min", -Float.MAX_VALUE),
                clip.attributes().getFloat("max", Float.MAX_VALUE)};
        }
        float[] b = {Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY};
        for (int i = 1; i <= 2; i++) {
            if (clip.hasInput(i)) {
                Tensor t = index.constant(clip.input(i));
                if (t == null || t.size() != 1 || !t.dtype().isFloat()) {
                    return null;
                }
                b[i - 1] = (float) t.getDouble(0);
            }
        }
        return b;
    }

    /** Whether two values have the same type, every dimension known or the same symbol. */
    private boolean sameShape(String a, String b) {
        TensorType ta = types.type(a);
        TensorType tb = types.type(b);
        if (ta != null && tb != null && ta.dtype() == tb.dtype() && ta.dims().equals(tb.dims())
                && ta.dims().stream().allMatch(d -> d.isKnown() || d.symbol() != null)) {
            return true;
        }
        return shapeKeys.sameShape(a, b); // sizes inference left unknown, proved equal by how they are computed
    }
}
