package dev.octet.oracle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.octet.CompileOptions;
import dev.octet.Octet;
import dev.octet.codegen.c.CCompiler;
import dev.octet.frontend.onnx.OnnxWriter;
import dev.octet.ir.DataType;
import dev.octet.ir.Graph;
import dev.octet.ir.Model;
import dev.octet.ir.Tensor;
import dev.octet.pass.FuseQuantizedConv;
import dev.octet.runtime.CompiledModel;
import dev.octet.testing.QdqGraphBuilder;
import dev.octet.testing.QdqGraphBuilder.Act;
import dev.octet.testing.QdqTestModels;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hand-built QDQ models, written to ONNX files, imported and compiled to int8 by Octet and run by ONNX Runtime
 * (which fuses the same groups into its own QLinearConv/QLinearAdd): the integer outputs are equal except where
 * ONNX Runtime's arithmetic differs (another fp32 order in its add, a float Clip left between its integer ops),
 * by at most one unit; the count of such elements is printed. One more model holds ONNX QLinearConv nodes
 * themselves (as an imported QLinearConv model does), which take the same int8 path.
 */
class QdqModelsAgreeWithOrtTest {
    @TempDir
    static Path dir;

    @TestFactory
    Stream<DynamicTest> octetInt8EqualsOnnxRuntimeWithinOneUnit() {
        assumeTrue(CCompiler.find() != null, "no C compiler on this machine");
        assumeTrue(Oracles.onnxRuntimeAvailable(), "no ONNX Runtime");
        // ONNX Runtime's QLinearConv wants the output type of the input's: u8 throughout, no narrowed clamp.
        QdqGraphBuilder b = new QdqGraphBuilder("qlinearconv", 31);
        String x = b.input("x", 1, 6, 9, 10);
        String c = b.conv(x, 12, 3, 2, 1, 1, Act.RELU, DataType.UINT8, false);
        c = b.conv(c, 12, 3, 1, 1, 3, Act.NONE, DataType.UINT8, true);
        Graph qlinear = new FuseQuantizedConv().apply(b.build(b.conv(c, 12, 3, 1, 0, 12, Act.RELU, DataType.UINT8,
                false)));
        assertThat(qlinear.nodes()).extracting(n -> n.opType()).containsOnly("QuantizeLinear", "QLinearConv");
        return Stream.concat(QdqTestModels.all().stream(), Stream.of(new Graph("qlinearconv_model", qlinear.inputs(),
                qlinear.outputs(), qlinear.nodes(), qlinear.constants(), Map.of(), qlinear.opsets())))
                .map(g -> DynamicTest.dynamicTest(g.name(), () -> check(g)));
    }

    private static void check(Graph g) {
        Path file = dir.resolve(g.name() + ".onnx");
        OnnxWriter.write(g, file);
        Model model = Octet.load(file);
        Map<String, Tensor> inputs = QdqGraphBuilder.randomInputs(g, 21);
        Map<String, Tensor> expected;
        try (Oracle ort = Oracles.onnxRuntime(file, 1)) {
            expected = ort.run(inputs);
        }
        CompileOptions options = CompileOptions.defaults().withThreads(2)
                .withBackend(CompileOptions.Backend.NATIVE).withCacheDir(Path.of("target", "test-native-cache"));
        try (CompiledModel m = Octet.compile(model, options)) {
            assertThat(m.stepDescriptions()).noneMatch(d -> d.startsWith("reference"))
                    .anyMatch(d -> d.startsWith("conv_int8_gemm"));
            Map<String, Tensor> actual = m.run(inputs);
            int total = 0;
            int differing = 0;
            for (String name : expected.keySet()) {
                Tensor e = expected.get(name);
                Tensor a = actual.get(name);
                assertThat(a.type()).as(name).isEqualTo(e.type());
                for (int i = 0; i < e.size(); i++) {
                    long d = Math.abs(e.getLong(i) - a.getLong(i));
                    assertThat(d).as("%s[%d]: ORT %d, Octet %d", name, i, e.getLong(i), a.getLong(i))
                            .isLessThanOrEqualTo(1);
                    differing += d != 0 ? 1 : 0;
                }
                total += e.size();
                // The comparison means something only where the values spread over the integer range.
                assertThat(java.util.Arrays.stream(e.toLongs()).distinct().count()).as("distinct values of %s", name)
                        .isGreaterThan(Math.min(e.size() / 4, 40));
            }
            System.out.printf("%s: %d of %d output elements differ from ONNX Runtime by one unit%n", g.name(),
                    differing, total);
        }
    }
}
