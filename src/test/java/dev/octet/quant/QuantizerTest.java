package dev.octet.quant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.octet.build.ModelCompiler;
import dev.octet.ir.DataType;
import dev.octet.ir.Graph;
import dev.octet.ir.GraphPrinter;
import dev.octet.ir.Node;
import dev.octet.ir.Tensor;
import dev.octet.runtime.ReferenceInterpreter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class QuantizerTest {
    private static final Graph MODEL = ModelCompiler.simplifyForQuantization(SyntheticModel.build());
    private static final List<Map<String, Tensor>> CALIBRATION = List.of(SyntheticModel.input(1),
            SyntheticModel.input(2), SyntheticModel.input(3));

    static QuantizedModel quantize(QuantizeOptions options) {
        Set<String> targets = Quantizer.calibrationTargets(MODEL, options);
        return Quantizer.quantize(MODEL, ReferenceRanges.of(MODEL, targets, CALIBRATION), options);
    }

    @Test
    void writesTheAgreedQdqForm() {
        QuantizedModel q = quantize(QuantizeOptions.defaults());
        assertThat(GraphPrinter.print(q.qdq())).isEqualTo(golden("synthetic_qdq.txt", GraphPrinter.print(q.qdq())));
        assertThat(q.summary().toText()).isEqualTo(golden("synthetic_summary.txt", q.summary().toText()));
    }

    @Test
    void calibrationTargetsAreTheQuantizedActivations() {
        assertThat(Quantizer.calibrationTargets(MODEL, QuantizeOptions.defaults()))
                .containsExactly("x", "r1", "k2", "c3", "r3", "p", "r4", "cat");
    }

    @Test
    void qdqOutputStaysCloseToFp32() {
        Map<String, Tensor> input = SyntheticModel.input(10);
        Tensor fp32 = new ReferenceInterpreter(MODEL).run(input).get("y");
        for (QuantizeOptions o : List.of(QuantizeOptions.defaults(), QuantizeOptions.defaults().withWeightBits(7),
                QuantizeOptions.defaults().withActivationType(DataType.INT8),
                QuantizeOptions.defaults().withPerChannelWeights(false))) {
            Tensor int8 = new ReferenceInterpreter(quantize(o).qdq()).run(input).get("y");
            assertThat(Numbers.cosine(fp32, int8)).as("%s", o).isGreaterThanOrEqualTo(0.99);
        }
    }

    @Test
    void convWeightsAreInRangeAndBiasScaleIsExactlyInputTimesWeightScale() {
        for (int bits : new int[] {8, 7}) {
            QuantizedModel q = quantize(QuantizeOptions.defaults().withWeightBits(bits));
            long max = bits == 8 ? 127 : 63;
            int convs = QdqConvs.check(q.qdq(), max);
            assertThat(convs).isEqualTo(4);
            assertThat(q.summary().int8Count("Conv")).isEqualTo(4);
            assertThat(q.summary().toText()).contains(bits == 7 ? "[-63, 63]" : "[-127, 127]");
        }
    }

    @Test
    void anAllZeroWeightChannelHasANonzeroScaleAndOutputsItsBias() {
        QuantizedModel q = quantize(QuantizeOptions.defaults());
        Map<String, Tensor> c = q.qdq().constants();
        assertThat(c.get("c4_w_scale").floats()[0]).isEqualTo(1f / 127);
        assertThat(c.get("c4_w_quantized").longs()).startsWith(0, 0, 0, 0, 0, 0, 0, 0);
        Tensor r4 = new ReferenceInterpreter(q.qdq()).run(SyntheticModel.input(10), Set.of("r4_dequantized"))
                .get("r4_dequantized");
        float step = c.get("r4_scale").floats()[0];
        for (int i = 0; i < 64; i++) { // channel 0 of [1, 4, 8, 8]
            assertThat(r4.floats()[i]).isCloseTo(SyntheticModel.ZERO_CHANNEL_BIAS, org.assertj.core.data.Offset
                    .offset(step / 2 + 1e-6f));
        }
    }

    @Test
    void skipsNodesByNameIndexAndOpType() {
        QuantizationSummary byName = quantize(QuantizeOptions.defaults().withSkipNodes(Set.of("c1"))).summary();
        assertThat(byName.layers().get(0).int8()).isFalse();
        assertThat(byName.layers().get(0).reason()).contains("skipped by option");
        QuantizationSummary byIndex = quantize(QuantizeOptions.defaults().withSkipNodes(Set.of("0"))).summary();
        assertThat(byIndex.layers().get(0).int8()).isFalse();
        assertThat(byIndex.int8Count("Conv")).isEqualTo(3);
        QuantizationSummary byType = quantize(QuantizeOptions.defaults().withSkipOpTypes(Set.of("Add"))).summary();
        assertThat(byType.int8Count("Add")).isZero();
        assertThat(byType.int8Count("Conv")).isEqualTo(4);
    }

    @Test
    void int8ActivationsFoldReluWithTheTypesMinimumAsZeroPoint() {
        QuantizedModel q = quantize(QuantizeOptions.defaults().withActivationType(DataType.INT8));
        assertThat(q.qdq().constants().get("r1_zero_point").dtype()).isEqualTo(DataType.INT8);
        assertThat(q.qdq().constants().get("r1_zero_point").longs()).containsExactly(-128);
        assertThat(q.qdq().nodes()).noneMatch(n -> n.opType().equals("Relu"));
    }

    @Test
    void aMissingOrInfiniteRangeIsOneClearError() {
        QuantizeOptions o = QuantizeOptions.defaults();
        Map<String, TensorRange> ranges = new HashMap<>(ReferenceRanges.of(MODEL, Quantizer.calibrationTargets(MODEL,
                o), CALIBRATION));
        ranges.remove("k2");
        assertThatThrownBy(() -> Quantizer.quantize(MODEL, ranges, o)).isInstanceOf(QuantizationException.class)
                .hasMessageContaining("no calibration range for tensor 'k2'");
        ranges.put("k2", new TensorRange(0f, Float.POSITIVE_INFINITY));
        assertThatThrownBy(() -> Quantizer.quantize(MODEL, ranges, o)).isInstanceOf(QuantizationException.class)
                .hasMessageContaining("range of tensor 'k2' is not finite");
        assertThatThrownBy(() -> new TensorRange(Float.NaN, 1f)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aBiasThatWouldOverflowInt32RaisesItsWeightScaleAsOnnxRuntimeDoes() {
        QuantizeOptions o = QuantizeOptions.defaults();
        Map<String, TensorRange> ranges = new HashMap<>(ReferenceRanges.of(MODEL, Quantizer.calibrationTargets(MODEL,
                o), CALIBRATION));
        ranges.put("k2", new TensorRange(0f, 1e-12f)); // s_x so small that c3's bias / (s_x * s_w) exceeds 2^31
        QuantizedModel q = Quantizer.quantize(MODEL, ranges, o);
        LayerSummary c3 = q.summary().layers().stream().filter(l -> l.name().equals("c3")).findFirst().orElseThrow();
        assertThat(c3.int8()).isTrue();
        assertThat(c3.reason()).contains("raised so that the int32 bias fits");
        assertThat(QdqConvs.check(q.qdq(), 127)).isEqualTo(4);
        float[] b = MODEL.constants().get("c3_b").floats();
        long[] bq = q.qdq().constants().get("c3_b_quantized").longs();
        float[] bs = q.qdq().constants().get("c3_b_scale").floats();
        for (int i = 0; i < b.length; i++) {
            assertThat(bq[i]).isBetween((long) Integer.MIN_VALUE, (long) Integer.MAX_VALUE);
            assertThat(bq[i] * (double) bs[i]).isCloseTo(b[i], org.assertj.core.data.Offset.offset(bs[i] / 2.0 + 2 * Math.ulp(b[i])));
        }
    }

    @Test
    void summaryHasAJsonForm() {
        String json = quantize(QuantizeOptions.defaults()).summary().toJson();
        assertThat(json).contains("\"activationType\" : \"UINT8\"").contains("\"reason\" : \"int8\"").doesNotContain("NaN");
    }

    private static String golden(String file, String actual) {
        if (Boolean.getBoolean("octet.golden.update")) {
            try {
                Path p = dev.octet.testing.TestData.repoRoot().resolve("src/test/resources/golden/quant").resolve(file);
                Files.createDirectories(p.getParent());
                Files.writeString(p, actual);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return actual;
        }
        try (InputStream in = QuantizerTest.class.getResourceAsStream("/golden/quant/" + file)) {
            assertThat(in).as("golden file %s", file).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
