package dev.octet.build;

import static dev.octet.build.TestGraphs.graph;
import static dev.octet.build.TestGraphs.types;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.octet.codegen.c.CCompiler;
import dev.octet.ir.Attribute;
import dev.octet.ir.DataType;
import dev.octet.ir.Dim;
import dev.octet.ir.Graph;
import dev.octet.ir.Node;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.runtime.CompiledModel;
import dev.octet.runtime.ReferenceInterpreter;
import dev.octet.verify.TestInputs;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Elementwise nodes of a graph become native chain steps: every broadcast the template reads, in either operand
 * order, bit-exact against the reference interpreter; consecutive nodes fuse only where the value between them has
 * one reader and the next operand already exists; runs whose shapes do not fit the compiled broadcast, and chains
 * whose first node was folded, run the reference.
 */
class ElementwiseLoweringTest {
    private static final int[] X = {2, 3, 4, 5};

    @BeforeAll
    static void needsACompiler() {
        assumeTrue(CCompiler.find() != null, "no C compiler");
    }

    private static TensorType f32(long... shape) {
        return TensorType.of(DataType.FLOAT, shape);
    }

    private static Tensor random(int[] shape, long seed) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return Tensor.ofFloats(shape, TestInputs.floats(TestInputs.Kind.RANDOM, n, seed));
    }

    /**
     * Runs compiled and reference on the inputs; every output must be bit-identical. Returns the steps that fell
     * back to the reference.
     */
    private static java.util.Set<String> sameBits(Graph g, Map<String, Tensor> in) {
        try (CompiledModel m = TestGraphs.compile(g)) {
            Map<String, Long> times = new HashMap<>();
            Map<String, Tensor> actual = m.runTimed(in, times);
            Map<String, Tensor> expected = new ReferenceInterpreter(g).run(in);
            expected.forEach((name, t) -> assertThat(actual.get(name).sameAs(t)).as(name + ": " + actual.get(name)
                    + " vs " + t).isTrue());
            times.keySet().removeIf(k -> !k.startsWith("fallback"));
            return times.keySet();
        }
    }

    @Test
    void everyOperandBroadcastInEitherOrderIsNativeAndExact() {
        Map<String, int[]> operands = new java.util.LinkedHashMap<>();
        operands.put("full", X);
        operands.put("channel4", new int[] {1, 3, 1, 1});
        operands.put("channel3", new int[] {3, 1, 1});
        operands.put("plane", new int[] {2, 3, 1, 1});
        operands.put("scalar0", new int[] {});
        operands.put("scalar1", new int[] {1});
        Map<String, TensorType> inputs = types("x", f32(2, 3, 4, 5));
        Map<String, Tensor> values = new HashMap<>(Map.of("x", random(X, 1)));
        operands.forEach((name, shape) -> {
            long[] dims = java.util.Arrays.stream(shape).asLongStream().toArray();
            inputs.put(name, f32(dims));
            values.put(name, random(shape, name.hashCode()));
        });
        List<Node> nodes = new ArrayList<>();
        List<String> outs = new ArrayList<>();
        for (String op : List.of("Add", "Sub", "Mul", "Div")) {
            for (String e : operands.keySet()) {
                for (boolean first : new boolean[] {false, true}) {
                    String y = op + "_" + e + (first ? "_first" : "");
                    nodes.add(Node.of(y, op, first ? List.of(e, "x") : List.of("x", e), List.of(y)));
                    outs.add(y);
                }
            }
        }
        Graph g = graph(14, nodes, inputs, Map.of(), outs);
        try (CompiledModel m = TestGraphs.compile(g)) {
            assertThat(m.stepDescriptions()).allMatch(d -> d.startsWith("elementwise"));
        }
        assertThat(sameBits(g, values)).isEmpty();
    }

    @Test
    void activationsAndClipWithConstantBoundsAreNative() {
        Map<String, Tensor> constants = Map.of("lo", Tensor.ofFloats(new int[] {}, -0.5f),
                "hi", Tensor.ofFloats(new int[] {}, 0.75f));
        List<Node> nodes = List.of(
                Node.of("a", "Relu", List.of("x"), List.of("relu")),
                Node.of("b", "Clip", List.of("x", "lo", "hi"), List.of("clip")),
                Node.of("c", "Clip", List.of("x", "", "hi"), List.of("clipmax")),
                Node.of("d", "Sigmoid", List.of("x"), List.of("sigmoid")),
                Node.of("e", "HardSigmoid", List.of("x"), List.of("hardsigmoid"), Attribute.of("alpha", 0.25f)),
                Node.of("f", "HardSwish", List.of("x"), List.of("hardswish")));
        Graph g = graph(14, nodes, types("x", f32(2, 3, 4, 5)), constants,
                List.of("relu", "clip", "clipmax", "sigmoid", "hardsigmoid", "hardswish"));
        Map<String, Tensor> in = Map.of("x", random(X, 2));
        try (CompiledModel m = TestGraphs.compile(g)) {
            assertThat(m.stepDescriptions()).allMatch(d -> d.startsWith("elementwise"));
            Map<String, Tensor> actual = m.run(in);
            Map<String, Tensor> expected = new ReferenceInterpreter(g).run(in);
            for (String exact : List.of("relu", "clip", "clipmax")) {
                assertThat(actual.get(exact).sameAs(expected.get(exact))).as(exact).isTrue();
            }
            // Sigmoid, HardSigmoid, HardSwish: a few fp32 roundings (see ChainBound); 4 ulp of the result bounds them
            // for inputs of magnitude below 4, as these are, plus an absolute u for results near zero.
            for (String close : List.of("sigmoid", "hardsigmoid", "hardswish")) {
                float[] a = actual.get(close).floats();
                float[] e = expected.get(close).floats();
                for (int i = 0; i < a.length; i++) {
                    assertThat((double) Math.abs(a[i] - e[i])).as(close + " at " + i)
                            .isLessThanOrEqualTo(4 * Math.ulp(e[i]) + Math.pow(2, -24));
                }
            }
        }
    }

    @Test
    void clipBoundsGivenAsAttributesBeforeOpset11() {
        Graph g = graph(9, List.of(Node.of("c", "Clip", List.of("x"), List.of("y"), Attribute.of("min", 0f),
                Attribute.of("max", 6f))), types("x", f32(2, 3, 4, 5)), Map.of(), List.of("y"));
        try (CompiledModel m = TestGraphs.compile(g)) {
            assertThat(m.stepDescriptions())
                    .containsExactly("elementwise[inner=0,planes=1] eltwise_f32[clip(0.0,6.0)]");
        }
        assertThat(sameBits(g, Map.of("x", random(X, 3)))).isEmpty();
    }

    @Test
    void aChainFusesWhereEachIntermediateHasOneReader() {
        List<Node> nodes = List.of(
                Node.of("a", "Add", List.of("x", "b"), List.of("t1")),
                Node.of("r", "Relu", List.of("t1"), List.of("t2")),
                Node.of("m", "Mul", List.of("s", "t2"), List.of("t3")),
                Node.of("c", "Clip", List.of("t3", "lo", "hi"), List.of("y")),
                // t4 has two readers: the chain that makes it ends there.
                Node.of("g", "Relu", List.of("x"), List.of("t4")),
                Node.of("h", "Mul", List.of("t4", "t4"), List.of("z")));
        Map<String, Tensor> constants = Map.of("lo", Tensor.ofFloats(new int[] {}, 0f),
                "hi", Tensor.ofFloats(new int[] {}, 6f), "s", random(new int[] {3, 1, 1}, 4));
        Graph g = graph(14, nodes, types("x", f32(2, 3, 4, 5), "b", f32(2, 3, 4, 5)), constants, List.of("y", "z"));
        try (CompiledModel m = TestGraphs.compile(g)) {
            assertThat(m.stepDescriptions()).containsExactly(
                    "elementwise[inner=0,planes=1] eltwise_f32[add(full)+relu+mul_rev(channel)+clip(0.0,6.0)]",
                    "fused", "fused", "fused",
                    "elementwise[inner=0,planes=1] eltwise_f32[relu]",
                    "elementwise[inner=0,planes=1] eltwise_f32[mul(full)]");
        }
        assertThat(sameBits(g, Map.of("x", random(X, 5), "b", random(X, 6)))).isEmpty();
    }

    @Test
    void aNodeWhoseOperandIsMadeAfterTheChainStartsIsNotFused() {
        List<Node> nodes = List.of(
                Node.of("r", "Relu", List.of("x"), List.of("t")),
                Node.of("n", "Neg", List.of("w"), List.of("a")),
                Node.of("s", "Add", List.of("t", "a"), List.of("y")));
        Graph g = graph(14, nodes, types("x", f32(2, 3, 4, 5), "w", f32(2, 3, 4, 5)), Map.of(), List.of("y"));
        try (CompiledModel m = TestGraphs.compile(g)) {
            assertThat(m.stepDescriptions()).containsExactly("elementwise[inner=0,planes=1] eltwise_f32[relu]",
                    "reference Neg", "elementwise[inner=0,planes=1] eltwise_f32[add(full)]");
        }
        assertThat(sameBits(g, Map.of("x", random(X, 7), "w", random(X, 8)))).isEmpty();
    }

    @Test
    void aSymbolicDimensionBoundToOneRunsTheReference() {
        TensorType x = new TensorType(DataType.FLOAT, List.of(Dim.symbol("N"), Dim.of(3), Dim.of(4), Dim.of(5)));
        TensorType y = new TensorType(DataType.FLOAT, List.of(Dim.symbol("M"), Dim.of(3), Dim.of(4), Dim.of(5)));
        Graph g = graph(14, List.of(Node.of("a", "Add", List.of("x", "y"), List.of("z"))), types("x", x, "y", y),
                Map.of(), List.of("z"));
        try (CompiledModel m = TestGraphs.compile(g)) {
            assertThat(m.stepDescriptions()).allMatch(d -> d.startsWith("elementwise"));
        }
        assertThat(sameBits(g, Map.of("x", random(X, 9), "y", random(X, 10)))).isEmpty();
        assertThat(sameBits(g, Map.of("x", random(X, 11), "y", random(new int[] {1, 3, 4, 5}, 12))))
                .containsExactly("fallback from elementwise[inner=0,planes=1] eltwise_f32[add(full)]");
    }

    @Test
    void aChainWhoseFirstNodeIsConstantIsFoldedAtCompileTime() {
        Map<String, Tensor> constants = Map.of("c1", random(new int[] {1, 3, 4, 5}, 13),
                "c2", random(new int[] {1, 3, 4, 5}, 14));
        List<Node> nodes = List.of(
                Node.of("a", "Add", List.of("c1", "c2"), List.of("t")),
                Node.of("m", "Mul", List.of("t", "x"), List.of("u")),
                Node.of("r", "Relu", List.of("u"), List.of("y")));
        Graph g = graph(14, nodes, types("x", f32(1, 3, 4, 5)), constants, List.of("y"));
        try (CompiledModel m = TestGraphs.compile(g)) {
            // The compiler's FoldConstants pass turns Add(c1, c2) into a constant before lowering.
            assertThat(m.stepDescriptions()).containsExactly(
                    "elementwise[inner=0,planes=1] eltwise_f32[mul(full)+relu]", "fused");
        }
        assertThat(sameBits(g, Map.of("x", random(new int[] {1, 3, 4, 5}, 15)))).isEmpty();
    }

    @Test
    void aChainWhoseFirstNodeFoldsForTheRunsShapesRunsItsOtherNodesByReference() {
        // s = float(shape(x)) · c is a constant only once x's symbolic shape is bound: at run time, not compile time.
        TensorType x = new TensorType(DataType.FLOAT, List.of(Dim.symbol("N"), Dim.of(3)));
        List<Node> nodes = List.of(
                Node.of("s", "Shape", List.of("x"), List.of("shape")),
                Node.of("f", "Cast", List.of("shape"), List.of("sizes"), Attribute.of("to", 1L)),
                Node.of("m", "Mul", List.of("sizes", "c"), List.of("t")),
                Node.of("a", "Add", List.of("t", "y"), List.of("u")),
                Node.of("r", "Relu", List.of("u"), List.of("z")));
        Map<String, Tensor> constants = Map.of("c", Tensor.ofFloats(new int[] {2}, 0.5f, -2f));
        Graph g = graph(14, nodes, types("x", x, "y", f32(2)), constants, List.of("z"));
        try (CompiledModel m = TestGraphs.compile(g)) {
            assertThat(m.stepDescriptions()).containsExactly("reference Shape", "reference Cast",
                    "elementwise[inner=0,planes=1] eltwise_f32[mul(full)+add(full)+relu]", "fused", "fused");
        }
        assertThat(sameBits(g, Map.of("x", random(new int[] {4, 3}, 16), "y", random(new int[] {2}, 17))))
                .containsExactly("fallback from fused");
    }
}
