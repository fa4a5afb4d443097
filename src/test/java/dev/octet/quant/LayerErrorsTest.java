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
