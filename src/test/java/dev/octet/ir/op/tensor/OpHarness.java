package dev.octet.ir.op.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.octet.ir.Attribute;
import dev.octet.ir.DataType;
import dev.octet.ir.Dim;
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

/** Runs one operator outside a graph: its inference from types (and constants) and its evaluation. */
final class OpHarness {
    private final String opType;
    private final int opset;
    private final List<Attribute> attrs = new ArrayList<>();
    private int outputs = 1;

    private OpHarness(String opType, int opset) {
        this.opType = opType;
        this.opset = opset;
    }

    static OpHarness op(String opType, int opset) {
        return new OpHarness(opType, opset);
    }

    OpHarness attr(Attribute a) {
        attrs.add(a);
        return this;
    }

    OpHarness outputs(int n) {
        outputs = n;
        return this;
    }

    private Node node(int inputs, List<Boolean> present) {
        List<String> in = new ArrayList<>();
        for (int i = 0; i < inputs; i++) {
            in.add(present.get(i) ? "in" + i : "");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < outputs; i++) {
            out.add("out" + i);
        }
        return Node.of("n", opType, in, out, attrs.toArray(Attribute[]::new));
    }

    /** Inference with the given input types; constants (one per input, null where unknown) may be shorter. */
    List<TensorType> infer(List<TensorType> types, Tensor... constants) {
        List<Boolean> present = types.stream().map(t -> t != null).toList();
        Node node = node(types.size(), present);
        List<Tensor> cs = new ArrayList<>(Arrays.asList(constants));
        while (cs.size() < types.size()) {
            cs.add(null);
        }
        Operator op = OperatorRegistry.forNode(node);
        return op.inferTypes(new InferenceContext(node, opset, new ArrayList<>(types), cs));
    }

    TensorType infer1(List<TensorType> types, Tensor... constants) {
        return infer(types, constants).get(0);
    }

    /**
     * Evaluates with the given inputs (null: absent), after checking that inference, with every input but the
     * first constant as in a real model, agrees with the result.
     */
    List<Tensor> run(Tensor... inputs) {
        List<Boolean> present = Arrays.stream(inputs).map(t -> t != null).toList();
        Node node = node(inputs.length, present);
        Operator op = OperatorRegistry.forNode(node);
        List<TensorType> types = new ArrayList<>();
        List<Tensor> constants = new ArrayList<>();
        for (int i = 0; i < inputs.length; i++) {
            types.add(inputs[i] == null ? null : inputs[i].type());
            constants.add(i == 0 ? null : inputs[i]);
        }
        List<TensorType> inferred = op.inferTypes(new InferenceContext(node, opset, types, constants));
        List<Tensor> out = op.evaluate(new EvalContext(node, opset, Arrays.asList(inputs)));
        for (int i = 0; i < outputs; i++) {
            assertAgrees(inferred.get(i), out.get(i));
        }
        return out;
    }

    Tensor run1(Tensor... inputs) {
        return run(inputs).get(0);
    }

    private static void assertAgrees(TensorType inferred, Tensor value) {
        assertThat(inferred.dtype()).isEqualTo(value.dtype());
        assertThat(inferred.rank()).as("rank of %s vs %s", inferred, value).isEqualTo(value.rank());
        for (int d = 0; d < value.rank(); d++) {
            Dim dim = inferred.dims().get(d);
            if (dim.isKnown()) {
                assertThat(dim.value()).as("dim %d of %s vs %s", d, inferred, value).isEqualTo(value.dim(d));
            }
        }
    }

    // Shorthands for the tests.

    static int[] shape(int... dims) {
        return dims;
    }

    static Tensor floats(int[] shape, float... values) {
        return Tensor.ofFloats(shape, values);
    }

    /** 0, 1, 2, ... as floats, in the given shape. */
    static Tensor iota(int... shape) {
        float[] v = new float[Arrays.stream(shape).reduce(1, (a, b) -> a * b)];
        for (int i = 0; i < v.length; i++) {
            v[i] = i;
        }
        return Tensor.ofFloats(shape, v);
    }

    static Tensor ints(long... values) {
        return Tensor.int64Vector(values);
    }

    static Tensor longs(DataType dtype, int[] shape, long... values) {
        return Tensor.ofLongs(dtype, shape, values);
    }

    /** A type with dims given as numbers (known) or strings (symbolic; "?" unknown). */
    static TensorType type(DataType dtype, Object... dims) {
        List<Dim> ds = new ArrayList<>();
        for (Object d : dims) {
            ds.add(d instanceof String s ? (s.equals("?") ? Dim.unknown() : Dim.symbol(s))
                    : Dim.of(((Number) d).longValue()));
        }
        return new TensorType(dtype, ds);
    }

    static TensorType f32(Object... dims) {
        return type(DataType.FLOAT, dims);
    }

    static TensorType i64(Object... dims) {
        return type(DataType.INT64, dims);
    }
}
