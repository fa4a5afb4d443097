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
import dev.octet.verify.FloatBound;
import dev.octet.verify.TestInputs;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Pooling nodes become native pool steps, with the run's pads worked out as the reference does (auto_pad SAME_*,
 * ceil_mode, count_include_pad); MaxPool with an Indices output stays with the reference.
 */
class PoolLoweringTest {
    @Test
    void poolsMatchTheReference() {
        assumeTrue(CCompiler.find() != null, "no C compiler");
        List<Node> nodes = List.of(
                Node.of("a", "MaxPool", List.of("x"), List.of("same"), Attribute.of("kernel_shape", 3L, 3L),
                        Attribute.of("strides", 2L, 2L), Attribute.of("auto_pad", "SAME_UPPER")),
                Node.of("b", "MaxPool", List.of("x"), List.of("ceil"), Attribute.of("kernel_shape", 3L, 2L),
                        Attribute.of("strides", 2L, 2L), Attribute.of("pads", 1L, 0L, 1L, 1L),
                        Attribute.of("ceil_mode", 1L)),
                Node.of("c", "AveragePool", List.of("x"), List.of("incpad"), Attribute.of("kernel_shape", 3L, 3L),
                        Attribute.of("strides", 2L, 1L), Attribute.of("pads", 1L, 2L, 0L, 1L),
                        Attribute.of("count_include_pad", 1L), Attribute.of("ceil_mode", 1L)),
                Node.of("d", "AveragePool", List.of("x"), List.of("lower"), Attribute.of("kernel_shape", 2L, 4L),
                        Attribute.of("auto_pad", "SAME_LOWER")),
                Node.of("e", "GlobalAveragePool", List.of("x"), List.of("global")),
                Node.of("f", "MaxPool", List.of("x"), List.of("withIndices", "indices"),
                        Attribute.of("kernel_shape", 2L, 2L)));
        List<String> outs = List.of("same", "ceil", "incpad", "lower", "global", "withIndices", "indices");
        Graph g = graph(12, nodes, types("x", TensorType.of(DataType.FLOAT, 2, 3, 9, 10)), Map.of(), outs);
        Map<String, Tensor> in = Map.of("x", Tensor.ofFloats(new int[] {2, 3, 9, 10},
                TestInputs.floats(TestInputs.Kind.RANDOM, 540, 1)));
        try (CompiledModel m = TestGraphs.compile(g)) {
            assertThat(m.stepDescriptions()).hasSize(6).filteredOn(d -> d.startsWith("pool")).hasSize(5);
            assertThat(m.stepDescriptions().get(5)).isEqualTo("reference MaxPool");
            Map<String, Long> times = new java.util.HashMap<>();
            Map<String, Tensor> actual = m.runTimed(in, times);
            assertThat(times.keySet()).noneMatch(k -> k.startsWith("fallback"));
            Map<String, Tensor> expected = new ReferenceInterpreter(g).run(in);
            for (String exact : List.of("same", "ceil", "withIndices", "indices")) {
                assertThat(actual.get(exact).sameAs(expected.get(exact))).as(exact).isTrue();
            }
            float[] abs = in.get("x").floats().clone();
            for (int i = 0; i < abs.length; i++) {
                abs[i] = Math.abs(abs[i]);
            }
            Map<String, Tensor> magnitude = new ReferenceInterpreter(g).run(Map.of("x",
                    Tensor.ofFloats(new int[] {2, 3, 9, 10}, abs)));
            for (String mean : List.of("incpad", "lower", "global")) {
                assertThat(actual.get(mean).shape()).isEqualTo(expected.get(mean).shape());
                int k = mean.equals("global") ? 90 : 12;
                assertThat(FloatBound.check(actual.get(mean).floats(), expected.get(mean).floats(),
                        magnitude.get(mean).floats(), k, 1)).as(mean).isNull();
            }
        }
    }
}
