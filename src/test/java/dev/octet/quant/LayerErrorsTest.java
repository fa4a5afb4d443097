package dev.octet.quant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.octet.ir.Graph;
import dev.octet.ir.OctetException;
import dev.octet.ir.Tensor;
import dev.octet.verify.TestInputs;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Finding each quantized tensor in the compiled int8 model, a quantized graph output included. */
class LayerErrorsTest {
    private static Map<String, Tensor> input(long seed) {
        return Map.of("x", Tensor.ofFloats(new int[] {1, 3, 8, 8}, TestInputs.floats(TestInputs.Kind.RANDOM,
                3 * 8 * 8, seed)));
    }

    @Test
    void measuresEveryQuantizedTensorIncludingAGraphOutput() {
        Graph block = CalibratorTest.block(); // its output s is a quantized residual Add
        List<Map<String, Tensor>> inputs = List.of(input(1), input(2));
        Set<String> targets = Quantizer.calibrationTargets(block, QuantizeOptions.defaults());
        QuantizedModel q = Quantizer.quantize(block, ReferenceRanges.of(block, targets, inputs),
                QuantizeOptions.defaults());
        Map<String, String> taps = LayerErrors.int8Taps(block, q.qdq(), targets);
        assertThat(taps.keySet()).containsExactlyInAnyOrderElementsOf(targets).contains("s");
        assertThat(taps.get("s")).isNotEqualTo("s"); // the integer tensor behind the output's DequantizeLinear
        LayerErrors.Measured measured = LayerErrors.measure(block, q, inputs, CalibratorTest.OPTIONS);
        Map<String, TensorError> errors = measured.tensors();
        assertThat(errors.keySet()).containsExactlyInAnyOrderElementsOf(targets);
        // calibrated on these very inputs, so nothing is clipped: only rounding, far below the signal
        assertThat(errors.values()).allSatisfy(e -> assertThat(e.sqnrDb()).as(e.tensor()).isGreaterThan(25));
        // the graph output s, read through its DequantizeLinear, is the dequantized integers the tap saw
        assertThat(measured.outputs().keySet()).containsExactly("s");
        assertThat(measured.outputs().get("s").sqnrDb()).isCloseTo(errors.get("s").sqnrDb(),
                org.assertj.core.api.Assertions.within(1e-9));
    }

    /**
     * A tensor quantized 4× more coarsely than calibration chose (scale ×4) is clearly worse: its own rounding noise
     * grows 16× (12 dB), the noise it inherits from its input does not, so the loss lies between.
     */
    @Test
    void aDamagedScaleShowsAsALossOfSqnr() {
        Graph block = CalibratorTest.block();
        List<Map<String, Tensor>> inputs = List.of(input(1), input(2));
        Set<String> targets = Quantizer.calibrationTargets(block, QuantizeOptions.defaults());
        QuantizedModel q = Quantizer.quantize(block, ReferenceRanges.of(block, targets, inputs),
                QuantizeOptions.defaults());
        Map<String, Tensor> constants = new java.util.LinkedHashMap<>(q.qdq().constants());
        Tensor scale = constants.get("c2_scale"); // read by c2's QuantizeLinear and DequantizeLinear alike
        constants.put("c2_scale", Tensor.ofFloats(new int[0], 4 * scale.floats()[0]));
        Graph g = q.qdq();
        QuantizedModel damaged = new QuantizedModel(new Graph(g.name(), g.inputs(), g.outputs(), g.nodes(), constants,
                g.valueTypes(), g.opsets()), q.summary());
        TensorError good = LayerErrors.measure(block, q, inputs, CalibratorTest.OPTIONS).tensors().get("c2");
        TensorError bad = LayerErrors.measure(block, damaged, inputs, CalibratorTest.OPTIONS).tensors().get("c2");
        assertThat(good.sqnrDb() - bad.sqnrDb()).isBetween(6.0, 13.0);
        assertThat(bad.cosine()).isLessThan(good.cosine());
    }

    @Test
    void needsAnInput() {
        Graph block = CalibratorTest.block();
        Set<String> targets = Quantizer.calibrationTargets(block, QuantizeOptions.defaults());
        QuantizedModel q = Quantizer.quantize(block, ReferenceRanges.of(block, targets, List.of(input(1))),
                QuantizeOptions.defaults());
        assertThatThrownBy(() -> LayerErrors.measure(block, q, List.of(), CalibratorTest.OPTIONS))
                .isInstanceOf(OctetException.class).hasMessageContaining("at least one input");
    }
}
