package dev.octet.pass;

import dev.octet.ir.Attribute;
import dev.octet.ir.Attributes;
import dev.octet.ir.DataType;
import dev.octet.ir.Graph;
import dev.octet.ir.Node;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.Value;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Builds small graphs in code for pass tests, with reproducible random weights. */
final class TestGraph {
    private final String name;
    private final List<Value> inputs = new ArrayList<>();
    private final List<Value> outputs = new ArrayList<>();
    private final List<Node> nodes = new ArrayList<>();
    private final Map<String, Tensor> constants = new LinkedHashMap<>();
    private final Map<String, Integer> opsets = new LinkedHashMap<>(Map.of("", 13));
    private final Random random = new Random(42);

    TestGraph(String name) {
        this.name = name;
    }

    TestGraph opset(int version) {
        opsets.put("", version);
        return this;
    }

    TestGraph input(String value, long... shape) {
        inputs.add(new Value(value, TensorType.of(DataType.FLOAT, shape)));
        return this;
    }

    TestGraph input(String value, TensorType type) {
        inputs.add(new Value(value, type));
        return this;
    }

    TestGraph output(String value) {
        outputs.add(new Value(value, null));
        return this;
    }

    TestGraph constant(String value, Tensor t) {
        constants.put(value, t);
        return this;
    }

    /** A constant of random floats in [-1, 1). */
    TestGraph weight(String value, int... shape) {
        return constant(value, random(random, shape));
    }

    /** A constant of random floats in [lo, hi). */
    TestGraph weight(String value, double lo, double hi, int... shape) {
        float[] v = new float[dev.octet.ir.Shapes.size(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (lo + (hi - lo) * random.nextDouble());
        }
        return constant(value, Tensor.ofFloats(shape, v));
    }

    TestGraph scalar(String value, float v) {
        return constant(value, Tensor.ofFloats(new int[0], v));
    }

    TestGraph ints(String value, long... v) {
        return constant(value, Tensor.int64Vector(v));
    }

    /** A node of the default domain; {@code out} is its one output. */
    TestGraph node(String opType, String out, List<String> in, Attribute... attrs) {
        nodes.add(new Node(out, opType, "", in, List.of(out), Attributes.of(attrs)));
        return this;
    }

    TestGraph node(Node n) {
        nodes.add(n);
        return this;
    }

    /** An {@code octet.FusedConv} with the given epilogue steps. */
    TestGraph fusedConv(String out, List<String> in, List<String> epilogue, Attribute... attrs) {
        Attributes a = Attributes.of(attrs).with(Attribute.ofStrings("epilogue", epilogue));
        opsets.put("octet", 1);
        nodes.add(new Node(out, "FusedConv", "octet", in, List.of(out), a));
        return this;
    }

    Graph build() {
        return new Graph(name, inputs, outputs, nodes, constants, Map.of(), opsets);
    }

    static Tensor random(Random random, int... shape) {
        float[] v = new float[dev.octet.ir.Shapes.size(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return Tensor.ofFloats(shape, v);
    }

    /** Random inputs for every graph input, which must have static shapes. */
    static Map<String, Tensor> randomInputs(Graph g, long seed) {
        Random random = new Random(seed);
        Map<String, Tensor> in = new LinkedHashMap<>();
        for (Value v : g.inputs()) {
            in.put(v.name(), random(random, v.type().shape()));
        }
        return in;
    }

    static Attribute pads(long p) {
        return Attribute.of("pads", p, p, p, p);
    }
}
