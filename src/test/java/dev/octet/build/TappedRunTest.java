package dev.octet.build;

import static dev.octet.build.TestGraphs.graph;
import static dev.octet.build.TestGraphs.types;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.octet.CompileOptions;
import dev.octet.codegen.c.CCompiler;
import dev.octet.ir.Attribute;
import dev.octet.ir.DataType;
import dev.octet.ir.Graph;
import dev.octet.ir.Node;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.runtime.CompiledModel;
import dev.octet.runtime.ReferenceInterpreter;
import dev.octet.verify.TestInputs;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A tapped run of a compiled model hands out exactly the values the reference interpreter computes, including the
 * ones epilogue and elementwise fusion would otherwise compute inside a larger step, and its outputs are those of
 * the untapped run. Small-integer weights and inputs make every correct fp32 kernel exact, so "exactly" is bits.
 */
class TappedRunTest {
    /** Conv → ReLU → Conv + shortcut → ReLU → Mul·Add chain: fusion absorbs c2, s and m when nothing is kept. */
    private static Graph residualBlock() {
        Map<String, Tensor> w = new LinkedHashMap<>();
        w.put("w1", smallIntegers(new int[] {4, 4, 3, 3}, 1));
        w.put("b1", smallIntegers(new int[] {4}, 2));
        w.put("w2", smallIntegers(new int[] {4, 4, 1, 1}, 3));
        w.put("two", Tensor.ofFloats(new int[] {}, 2));
        w.put("one", Tensor.ofFloats(new int[] {}, 1));
        List<Node> nodes = List.of(
                Node.of("c1", "Conv", List.of("x", "w1", "b1"), List.of("c1"), Attribute.of("pads", 1L, 1L, 1L, 1L)),
                Node.of("a", "Relu", List.of("c1"), List.of("a")),
                Node.of("c2", "Conv", List.of("a", "w2"), List.of("c2")),
                Node.of("s", "Add", List.of("c2", "a"), List.of("s")),
                Node.of("r", "Relu", List.of("s"), List.of("r")),
                Node.of("m", "Mul", List.of("r", "two"), List.of("m")),
                Node.of("y", "Add", List.of("m", "one"), List.of("y")));
        return graph(14, nodes, types("x", TensorType.of(DataType.FLOAT, 1, 4, 7, 5)), w, List.of("y"));
    }

    private static Tensor smallIntegers(int[] shape, long seed) {
        return Tensor.ofFloats(shape, TestInputs.floats(TestInputs.Kind.SMALL_INTEGER,
                java.util.Arrays.stream(shape).reduce(1, (a, b) -> a * b), seed));
    }

    @Test
    void handsOutEveryKeptValueAsTheReferenceComputesIt() {
        assumeTrue(CCompiler.find() != null, "no C compiler");
        Graph g = residualBlock();
        Set<String> tapped = Set.of("x", "c1", "a", "c2", "s", "r", "m", "y");
        Map<String, Tensor> in = Map.of("x", smallIntegers(new int[] {1, 4, 7, 5}, 4));
        Map<String, Tensor> expected = new LinkedHashMap<>(new ReferenceInterpreter(g).run(in, tapped));
        expected.putAll(in);
        Map<String, Tensor> untapped;
        try (CompiledModel plain = TestGraphs.compile(g)) {
            assertThat(plain.graph().nodes()).extracting(Node::opType).doesNotContain("Conv");
            assertThat(plain.graph().nodes().size()).isLessThan(g.nodes().size()); // fusion happened
            untapped = plain.run(in);
        }
        CompileOptions keep = TestGraphs.OPTIONS.withKeptValues(tapped);
        Map<String, Tensor> seen = new LinkedHashMap<>();
        try (CompiledModel m = ModelCompiler.compile(g, keep)) {
            Map<String, Tensor> out = m.runTapped(in, tapped, (name, t) -> seen.put(name,
                    Tensor.of(t.dtype(), t.shape(), t.floats().clone())));
            assertThat(out.get("y").sameAs(untapped.get("y"))).isTrue();
            assertThat(m.stepDescriptions()).noneMatch(d -> d.equals("fused"));
        }
        assertThat(seen.keySet()).containsExactly("x", "c1", "a", "c2", "s", "r", "m", "y");
        for (String name : tapped) {
            assertThat(seen.get(name).sameAs(expected.get(name))).as(name).isTrue();
        }
    }

    @Test
    void aValueFusedAwayIsNotHandedOut() {
        assumeTrue(CCompiler.find() != null, "no C compiler");
        Graph g = residualBlock();
        Map<String, Tensor> seen = new LinkedHashMap<>();
        try (CompiledModel m = TestGraphs.compile(g)) {
            m.runTapped(Map.of("x", smallIntegers(new int[] {1, 4, 7, 5}, 4)), Set.of("c2", "m", "y"), seen::put);
        }
        assertThat(seen.keySet()).containsExactly("y");
    }
}
