package dev.octet.ir.op.math;

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

/** Runs one operator on concrete inputs through the registry, checking that inference agrees with evaluation. */
final class NodeRunner {
    private NodeRunner() {
    }

    /** A node of the default domain; a null input is an absent optional input. */
    static Node node(String opType, int inputCount, Attribute... attrs) {
        List<String> inputs = new ArrayList<>();
        for (int i = 0; i < inputCount; i++) {
            inputs.add("in" + i);
        }
        return new Node("n", opType, "", inputs, List.of("out"), Attributes.of(attrs));
    }

    /** The single output of the operator; null inputs are absent. */
    static Tensor run(int opset, String opType, List<Tensor> inputs, Attribute... attrs) {
        Node node = node(opType, inputs.size(), attrs);
        List<String> names = new ArrayList<>(node.inputs());
        for (int i = 0; i < inputs.size(); i++) {
            if (inputs.get(i) == null) {
                names.set(i, "");
            }
        }
        node = new Node(node.name(), opType, "", names, node.outputs(), node.attributes());
        Operator op = OperatorRegistry.forNode(node);
        List<TensorType> types = new ArrayList<>();
        for (Tensor t : inputs) {
            types.add(t == null ? null : t.type());
        }
        TensorType inferred = op.inferTypes(new InferenceContext(node, opset, types, inputs)).get(0);
        Tensor out = op.evaluate(new EvalContext(node, opset, inputs)).get(0);
        assertThat(out.type()).as("inferred type").isEqualTo(inferred);
        return out;
    }

    static Tensor run(int opset, String opType, Tensor input, Attribute... attrs) {
        return run(opset, opType, Arrays.asList(input), attrs);
    }

    static Tensor run(int opset, String opType, Tensor a, Tensor b, Attribute... attrs) {
        return run(opset, opType, Arrays.asList(a, b), attrs);
    }

    /** The inferred output type from input types alone (no input values known). */
    static TensorType infer(int opset, String opType, List<TensorType> types, Attribute... attrs) {
        Node node = node(opType, types.size(), attrs);
        List<dev.octet.ir.Tensor> none = new ArrayList<>();
        types.forEach(t -> none.add(null));
        return OperatorRegistry.forNode(node).inferTypes(new InferenceContext(node, opset, types, none)).get(0);
    }

    static Tensor floats(int[] shape, float... values) {
        return Tensor.ofFloats(shape, values);
    }

    static int[] shape(int... dims) {
        return dims;
    }
}
