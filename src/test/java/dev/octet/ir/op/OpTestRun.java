package dev.octet.ir.op;

import dev.octet.ir.Attribute;
import dev.octet.ir.Dim;
import dev.octet.ir.Node;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs one registered operator outside a graph, for operator unit tests: type inference (with the first input's
 * value unknown and the others constant, as in a real model) and evaluation through the interpreter's error
 * handling, checking that both agree on every output's type and shape.
 */
public final class OpTestRun {
    private final String opType;
    private final int opset;
    private final Attribute[] attrs;
    private int outputs = 1;

    private OpTestRun(String opType, int opset, Attribute... attrs) {
        this.opType = opType;
        this.opset = opset;
        this.attrs = attrs;
    }

    public static OpTestRun op(String opType, int opset, Attribute... attrs) {
        return new OpTestRun(opType, opset, attrs);
    }

    public OpTestRun outputs(int n) {
        outputs = n;
        return this;
    }

    /** The node, with inputs named in0.. ("" where the input is null, i.e. absent). */
    private Node node(Object[] inputs) {
        List<String> in = new ArrayList<>();
        for (int i = 0; i < inputs.length; i++) {
            in.add(inputs[i] == null ? "" : "in" + i);
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < outputs; i++) {
            out.add("out" + i);
        }
        return Node.of("n", opType, in, out, attrs);
    }

    /** Type inference only; {@code constants} holds a value or null per input, and may be shorter than types. */
    public List<TensorType> infer(TensorType[] types, Tensor... constants) {
        Node node = node(types);
        List<Tensor> known = new ArrayList<>(Arrays.asList(constants));
        while (known.size() < types.length) {
            known.add(null);
        }
        return OperatorRegistry.forNode(node).inferTypes(new InferenceContext(node, opset, Arrays.asList(types),
                known));
    }

    /** Evaluates (null inputs are absent) after inference, and checks that the two agree. */
    public List<Tensor> run(Tensor... inputs) {
        Node node = node(inputs);
        Operator op = OperatorRegistry.forNode(node);
        List<TensorType> types = new ArrayList<>();
        List<Tensor> known = new ArrayList<>();
        for (int i = 0; i < inputs.length; i++) {
            types.add(inputs[i] == null ? null : inputs[i].type());
            known.add(i == 0 ? null : inputs[i]);
        }
        List<TensorType> inferred = op.inferTypes(new InferenceContext(node, opset, types, known));
        List<Tensor> out = ShapeInference.evaluate(op, new EvalContext(node, opset, Arrays.asList(inputs)));
        for (int i = 0; i < outputs; i++) {
            check(inferred.get(i), out.get(i));
        }
        return out;
    }

    /** The single output of {@link #run}. */
    public Tensor run1(Tensor... inputs) {
        return run(inputs).get(0);
    }

    private static void check(TensorType inferred, Tensor value) {
        boolean ok = inferred.dtype() == value.dtype() && inferred.rank() == value.rank();
        for (int d = 0; ok && d < value.rank(); d++) {
            Dim dim = inferred.dims().get(d);
            ok = !dim.isKnown() || dim.value() == value.dim(d);
        }
        if (!ok) {
            throw new AssertionError("inference said " + inferred + ", evaluation gave " + value.type());
        }
    }
}
