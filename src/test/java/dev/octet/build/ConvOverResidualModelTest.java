package dev.octet.build;

import static dev.octet.build.TestGraphs.graph;
import static dev.octet.build.TestGraphs.types;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A bottleneck block whose last 1×1 conv adds the block's input (its reduction one block, so the kernel may write
 * its output over that residual where the conv reads it last): the compiled model computes exactly what the
 * reference does, run after run (the pool hands the arrays around), whether the residual dies at the conv or a
 * later node still reads it. Small-integer weights and inputs make every correct fp32 kernel exact.
 */
class ConvOverResidualModelTest {
    private static Tensor smallIntegers(int[] shape, long seed) {
        return Tensor.ofFloats(shape, TestInputs.floats(TestInputs.Kind.SMALL_INTEGER,
                Arrays.stream(shape).reduce(1, (a, b) -> a * b), seed));
    }

    /** x → 3×3 conv → ReLU = a → 1×1 → ReLU → 1×1 + a → ReLU = y; with {@code readLater}, also z = a·a after it. */
    private static Graph block(boolean readLater) {
        Map<String, Tensor> w = new LinkedHashMap<>();
        w.put("w1", smallIntegers(new int[] {8, 3, 3, 3}, 1));
        w.put("b1", smallIntegers(new int[] {8}, 2));
        w.put("w2", smallIntegers(new int[] {8, 8, 1, 1}, 3));
        w.put("w3", smallIntegers(new int[] {8, 8, 1, 1}, 4));
        w.put("b3", smallIntegers(new int[] {8}, 5));
        List<Node> nodes = new ArrayList<>(List.of(
                Node.of("c1", "Conv", List.of("x", "w1", "b1"), List.of("c1"), Attribute.of("pads", 1L, 1L, 1L, 1L)),
                Node.of("a", "Relu", List.of("c1"), List.of("a")),
                Node.of("c2", "Conv", List.of("a", "w2"), List.of("c2")),
                Node.of("h", "Relu", List.of("c2"), List.of("h")),
                Node.of("c3", "Conv", List.of("h", "w3", "b3"), List.of("c3")),
                Node.of("s", "Add", List.of("c3", "a"), List.of("s")),
                Node.of("y", "Relu", List.of("s"), List.of("y"))));
        List<String> outputs = new ArrayList<>(List.of("y"));
        if (readLater) {
            nodes.add(Node.of("z", "Mul", List.of("a", "a"), List.of("z")));
            outputs.add("z");
        }
        return graph(14, nodes, types("x", TensorType.of(DataType.FLOAT, 2, 3, 9, 11)), w, outputs);
    }

    @Test
    void theBlockComputesWhatTheReferenceDoesWhetherTheResidualDiesAtTheConvOrNot() {
        assumeTrue(CCompiler.find() != null, "no C compiler");
        for (boolean readLater : new boolean[] {false, true}) {
            Graph g = block(readLater);
            try (CompiledModel m = TestGraphs.compile(g)) {
                for (long seed = 10; seed < 13; seed++) {
                    Map<String, Tensor> in = Map.of("x", smallIntegers(new int[] {2, 3, 9, 11}, seed));
                    Map<String, Tensor> expected = new ReferenceInterpreter(g).run(in);
                    Map<String, Tensor> actual = m.run(in);
                    for (String o : expected.keySet()) {
                        assertThat(actual.get(o).sameAs(expected.get(o))).as(o + " read later " + readLater).isTrue();
                    }
                }
            }
        }
    }
}
