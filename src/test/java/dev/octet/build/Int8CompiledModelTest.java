package dev.octet.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.octet.CompileOptions;
import dev.octet.codegen.c.CCompiler;
import dev.octet.ir.DataType;
import dev.octet.ir.Graph;
import dev.octet.ir.Node;
import dev.octet.kernel.ConfigChooser;
import dev.octet.kernel.Int8DirectConvTemplate;
import dev.octet.ir.Tensor;
import dev.octet.runtime.CompiledModel;
import dev.octet.runtime.ReferenceInterpreter;
import dev.octet.testing.QdqGraphBuilder;
import dev.octet.testing.QdqTestModels;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Quantized models compiled to native int8 steps give exactly the reference interpreter's output on the fused
 * graph (the int8 passes' result), at 1, 2 and 4 threads, with the same bytes on every run; every integer
 * convolution runs on the int8 kernel and Q/DQ/int8 add on their Java steps, none by reference.
 */
class Int8CompiledModelTest {
    private static final int RUNS = 3;

    @TestFactory
    Stream<DynamicTest> compiledInt8EqualsTheReferenceOnTheFusedGraph() {
        assumeTrue(CCompiler.find() != null, "no C compiler on this machine");
        return QdqTestModels.all().stream().map(g -> DynamicTest.dynamicTest(g.name(), () -> check(g)));
    }

    /** On the JVM backend the integer convolutions run their reference (no int8 JVM kernel yet): same outputs. */
    @TestFactory
    Stream<DynamicTest> theJvmBackendRunsTheIntegerConvolutionsByReference() {
        return QdqTestModels.all().stream().map(g -> DynamicTest.dynamicTest(g.name(), () -> {
            Map<String, Tensor> inputs = QdqGraphBuilder.randomInputs(g, 6);
            Map<String, Tensor> expected = new ReferenceInterpreter(ModelCompiler.simplify(g)).run(inputs);
            try (CompiledModel m = ModelCompiler.compile(g, TestGraphs.OPTIONS.withBackend(
                    CompileOptions.Backend.JVM))) {
                assertThat(m.stepDescriptions()).anyMatch(d -> d.matches("reference (Clamped)?QLinearConv"))
                        .noneMatch(d -> d.startsWith("conv_int8_gemm") || d.startsWith("dwconv_int8"));
                Map<String, Tensor> out = m.run(inputs);
                expected.forEach((name, t) -> assertThat(out.get(name).sameAs(t)).as(name).isTrue());
            }
        }));
    }

    /**
     * Node by node (the compiled model has one step per node of the fused graph), every per-tensor QuantizeLinear,
     * DequantizeLinear, octet.QLinearAdd and (u8 or s8) MaxPool runs on its native template's kernel; on the JVM
     * backend the same nodes run their Java steps.
     */
    @Test
    void quantizeDequantizeAddAndMaxPoolRunOnTheirNativeKernels() {
        assumeTrue(CCompiler.find() != null, "no C compiler on this machine");
        Map<String, String> nativePrefix = Map.of("QuantizeLinear", "quantize_linear",
                "DequantizeLinear", "dequantize_linear", "QLinearAdd", "add_int8", "MaxPool", "maxpool_int8");
        Map<String, String> javaStep = Map.of("QuantizeLinear", "java QuantizeLinear",
                "DequantizeLinear", "java DequantizeLinear", "QLinearAdd", "java int8 Add", "MaxPool",
                "java int8 MaxPool");
        Map<String, Integer> seen = new java.util.HashMap<>();
        for (Graph g : QdqTestModels.all()) {
            List<Node> nodes = ModelCompiler.simplify(g).nodes();
            for (CompileOptions.Backend backend : List.of(CompileOptions.Backend.NATIVE,
                    CompileOptions.Backend.JVM)) {
                try (CompiledModel m = ModelCompiler.compile(g, TestGraphs.OPTIONS.withBackend(backend))) {
                    List<String> steps = m.stepDescriptions();
                    assertThat(steps).hasSameSizeAs(nodes);
                    for (int i = 0; i < nodes.size(); i++) {
                        String op = nodes.get(i).opType();
                        if (!nativePrefix.containsKey(op)) {
                            continue;
                        }
                        seen.merge(op + " " + backend, 1, Integer::sum);
                        assertThat(steps.get(i)).as(g.name() + " " + nodes.get(i).name() + " on " + backend)
                                .startsWith(backend == CompileOptions.Backend.NATIVE ? nativePrefix.get(op)
                                        : javaStep.get(op));
                    }
                }
            }
        }
        assertThat(seen).as("every kind of node is reached").hasSize(8);
    }

    /**
     * A chooser that picks the direct NCHW4c template wherever it is offered (its defaults, or the last point of
     * its space: the other variant, chunk and order) gives the reference's output too, at 1 and 2 threads.
     */
    @TestFactory
    Stream<DynamicTest> theDirectTemplateIsExactWhereAChooserPicksIt() {
        assumeTrue(CCompiler.find() != null, "no C compiler on this machine");
        return QdqTestModels.all().stream().flatMap(g -> Stream.of(true, false).map(defaults -> DynamicTest
                .dynamicTest(g.name() + (defaults ? " defaults" : " last"), () -> {
                    ConfigChooser direct = r -> r.spaces().stream()
                            .filter(s -> s.template().equals(Int8DirectConvTemplate.NAME)).findFirst()
                            .map(s -> defaults ? s.defaults() : s.all().get(s.all().size() - 1))
                            .orElseGet(r::defaults);
                    Map<String, Tensor> inputs = QdqGraphBuilder.randomInputs(g, 8);
                    Map<String, Tensor> expected = new ReferenceInterpreter(ModelCompiler.simplify(g)).run(inputs);
                    for (int threads : new int[] {1, 2}) {
                        try (CompiledModel m = ModelCompiler.compile(g, TestGraphs.OPTIONS.withThreads(threads)
                                .withBackend(CompileOptions.Backend.NATIVE).withConfigs(direct))) {
                            assertThat(m.stepDescriptions()).anyMatch(d -> d.startsWith(Int8DirectConvTemplate.NAME))
                                    .noneMatch(d -> d.startsWith("reference"));
                            Map<String, Tensor> out = m.run(inputs);
                            expected.forEach((name, t) -> assertThat(out.get(name).sameAs(t))
                                    .as("%s at %d threads", name, threads).isTrue());
                        }
                    }
                })));
    }

    /** Every depthwise QLinearConv runs on the int8 depthwise kernel by default; the others on conv-as-GEMM. */
    @Test
    void depthwiseConvolutionsRunOnTheDepthwiseKernel() {
        assumeTrue(CCompiler.find() != null, "no C compiler on this machine");
        Graph g = QdqTestModels.depthwise();
        Map<String, Tensor> inputs = QdqGraphBuilder.randomInputs(g, 7);
        Map<String, Tensor> expected = new ReferenceInterpreter(ModelCompiler.simplify(g)).run(inputs);
        for (int threads : new int[] {1, 2}) {
            try (CompiledModel m = ModelCompiler.compile(g, TestGraphs.OPTIONS.withThreads(threads)
                    .withBackend(CompileOptions.Backend.NATIVE))) {
                assertThat(m.stepDescriptions().stream().filter(d -> d.startsWith("dwconv_int8"))).hasSize(3);
                assertThat(m.stepDescriptions().stream().filter(d -> d.startsWith("conv_int8_gemm"))).hasSize(2);
                Map<String, Tensor> out = m.run(inputs);
                expected.forEach((name, t) -> assertThat(out.get(name).sameAs(t)).as(name).isTrue());
            }
        }
    }

    private static void check(Graph g) {
        Map<String, Tensor> inputs = QdqGraphBuilder.randomInputs(g, 5);
        Graph fused = ModelCompiler.simplify(g);
        Map<String, Tensor> expected = new ReferenceInterpreter(fused).run(inputs);
        for (int threads : new int[] {1, 2, 4}) {
            CompileOptions options = TestGraphs.OPTIONS.withThreads(threads)
                    .withBackend(CompileOptions.Backend.NATIVE);
            try (CompiledModel m = ModelCompiler.compile(g, options)) {
                assertThat(m.stepDescriptions()).as("steps").noneMatch(d -> d.startsWith("reference"))
                        .anyMatch(d -> d.startsWith("conv_int8_gemm"));
                Map<String, Tensor> first = m.run(inputs);
                for (int run = 0; run < RUNS; run++) {
                    Map<String, Tensor> out = run == 0 ? first : m.run(inputs);
                    for (String name : expected.keySet()) {
                        assertThat(out.get(name).isByteBacked())
                                .isEqualTo(expected.get(name).dtype() != DataType.FLOAT);
                        assertThat(out.get(name).sameAs(expected.get(name)))
                                .as("%s at %d threads, run %d: %s vs reference %s", name, threads, run,
                                        out.get(name), expected.get(name)).isTrue();
                        assertThat(out.get(name).sameAs(first.get(name))).isTrue();
                    }
                }
            }
        }
    }
}
