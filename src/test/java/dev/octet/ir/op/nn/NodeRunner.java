package dev.octet.ir.op.nn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.octet.ir.Attribute;
import dev.octet.ir.Attributes;
import dev.octet.ir.Node;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.op.EvalContext;
import dev.octet.ir.op.InferenceContext;
import dev.octet.ir.op.Operator;
import dev.octet.ir.op.OperatorRegistry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs one operator on concrete tensors the way the interpreter does: type inference first, then the reference
 * implementation, and checks that the two agree on dtype and shape.
 */
public final class NodeRunner {
    private NodeRunner() {
    }

    /** The first output of an opset-17 node; null inputs are absent optional ones. */
    public static Tensor run(String opType, List<Tensor> inputs, Attribute... attrs) {
        return runAll(opType, 17, 1, inputs, attrs).get(0);
    }

    /** All outputs of a node with the given number of outputs. */
    public static List<Tensor> runAll(String opType, int opset, int outputs, List<Tensor> inputs, Attribute... attrs) {
        Node node = node(opType, inputs, outputs, attrs);
        Operator op = OperatorRegistry.forNode(node);
        List<TensorType> types = new ArrayList<>();
        for (Tensor t : inputs) {
            types.add(t == null ? null : t.type());
        }
        List<Tensor> none = new ArrayList<>(java.util.Collections.nCopies(inputs.size(), (Tensor) null));
        List<TensorType> inferred = op.inferTypes(new InferenceContext(node, opset, types, none));
        List<Tensor> out = op.evaluate(new EvalContext(node, opset, inputs));
        assertThat(out).hasSizeGreaterThanOrEqualTo(outputs);
        for (int i = 0; i < outputs; i++) {
            TensorType t = inferred.get(i);
            assertThat(out.get(i).dtype()).as("dtype of output %d", i).isEqualTo(t.dtype());
            assertThat(out.get(i).type().dims()).as("shape of output %d", i).isEqualTo(t.dims());
        }
        return out;
    }

    /** The inferred type of output 0 for input types (with unknown or symbolic dims). */
    public static TensorType infer(String opType, List<TensorType> inputs, Attribute... attrs) {
        Node node = node(opType, inputs, 1, attrs);
        List<Tensor> none = new ArrayList<>(java.util.Collections.nCopies(inputs.size(), (Tensor) null));
        return OperatorRegistry.forNode(node).inferTypes(new InferenceContext(node, 17, inputs, none)).get(0);
    }

    private static Node node(String opType, List<?> inputs, int outputs, Attribute... attrs) {
        List<String> in = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            in.add(inputs.get(i) == null ? "" : "in" + i);
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < outputs; i++) {
            out.add("out" + i);
        }
        return new Node("n", opType, "", in, out, Attributes.of(Arrays.asList(attrs)));
    }

    /** An INTS attribute. */
    public static Attribute ints(String name, long... values) {
        return new Attribute(name, Attribute.Kind.INTS, values);
    }

    /** A float tensor from values. */
    public static Tensor floats(int[] shape, double... values) {
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) values[i];
        }
        return Tensor.ofFloats(shape, f);
    }

    /** The values of a float tensor as doubles. */
    public static double[] values(Tensor t) {
        return t.toDoubles();
    }
}
