package dev.octet.quant;

import static org.assertj.core.api.Assertions.assertThat;

import dev.octet.frontend.onnx.OnnxImporter;
import dev.octet.frontend.onnx.OnnxWriter;
import dev.octet.ir.DataType;
import dev.octet.ir.OctetException;
import dev.octet.ir.GraphPrinter;
import dev.octet.ir.Tensor;
import dev.octet.oracle.Oracle;
import dev.octet.oracle.Oracles;
import dev.octet.oracle.OrtOptimizedGraph;
import dev.octet.runtime.ReferenceInterpreter;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/** The QDQ export is a file ONNX Runtime runs, agrees with, and fuses into int8 operators. */
class QdqOnnxRuntimeTest {
    static Stream<QuantizeOptions> options() {
        QuantizeOptions d = QuantizeOptions.defaults();
        return Stream.of(d, d.withWeightBits(7), d.withActivationType(DataType.INT8), d.withPerChannelWeights(false));
    }

    @ParameterizedTest
    @MethodSource("options")
    void onnxRuntimeRunsTheExportAndFusesEveryQuantizedConv(QuantizeOptions options, @TempDir Path dir) {
        QuantizedModel q = QuantizerTest.quantize(options);
        Path file = dir.resolve("synthetic_qdq.onnx");
        OnnxWriter.write(q.qdq(), file);
        assertThat(GraphPrinter.print(OnnxImporter.load(file).graph())).isEqualTo(GraphPrinter.print(q.qdq()));

        Map<String, Tensor> input = SyntheticModel.input(10);
        Tensor octet = new ReferenceInterpreter(q.qdq()).run(input).get("y");
        Tensor ort;
        try (Oracle oracle = Oracles.onnxRuntime(file, 1)) {
            ort = oracle.run(input).get("y");
        }
        // The stated tolerance: ORT may differ by one unit in every element of the last int8 tensor (cat); through
        // GlobalAveragePool and Gemm that moves y[o] by at most s_cat * sum_i |W[o][i]|, plus fp32 rounding.
        float sCat = q.qdq().constants().get("cat_scale").floats()[0];
        float[] w = q.qdq().constants().get("fc_w").floats();
        double bound = 0;
        for (int o = 0; o < 10; o++) {
            double row = 0;
            for (int i = 0; i < 12; i++) {
                row += Math.abs(w[o * 12 + i]);
            }
            bound = Math.max(bound, sCat * row);
        }
        assertThat(Numbers.maxAbsDiff(octet, ort)).isLessThanOrEqualTo(bound + 1e-5);
        Map<String, Integer> ops = OrtOptimizedGraph.operatorCounts(file, 1);
        if (options.activationType() == DataType.INT8) {
            // ONNX Runtime fuses QDQ groups with int8 activations only on ARM (QDQIsInt8Allowed() is false elsewhere,
            // onnxruntime/core/optimizer/qdq_transformer/selectors_actions/qdq_selector_action_transformer.h): on
            // x86 most of this export runs as float Conv between Q/DQ. The rival for benchmarks uses uint8.
            assertThat(ops.getOrDefault("QLinearConv", 0)).isLessThan(4);
            return;
        }
        assertThat(ops.getOrDefault("QLinearConv", 0)).isEqualTo(4).isEqualTo((int) q.summary().int8Count("Conv"));
        assertThat(ops.getOrDefault("QLinearAdd", 0)).isEqualTo(1);
        assertThat(ops.getOrDefault("QLinearConcat", 0)).isEqualTo(1);
        assertThat(ops).doesNotContainKey("Conv");
    }

    @Test
    void countingTheOperatorsOfAMissingModelIsOneClearError(@TempDir Path dir) {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> OrtOptimizedGraph.operatorCounts(dir.resolve(
                "missing.onnx"), 1)).isInstanceOf(OctetException.class).hasMessageContaining("missing.onnx: cannot read");
    }
}
