package dev.octet.ir.op.math;

import static dev.octet.ir.op.math.NodeRunner.floats;
import static dev.octet.ir.op.math.NodeRunner.run;
import static dev.octet.ir.op.math.NodeRunner.shape;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.octet.ir.Attribute;
import dev.octet.ir.DataType;
import dev.octet.ir.OctetException;
import dev.octet.ir.Tensor;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ActivationTest {
    @Test
    void reluZeroesNegativesKeepsNanAndWorksOnSignedIntegers() {
        Tensor y = run(13, "Relu", floats(shape(4), -2, 0, 3.5f, Float.NaN));
        assertThat(y.floats()).containsExactly(0, 0, 3.5f, Float.NaN);
        Tensor ints = run(14, "Relu", Tensor.ofLongs(DataType.INT8, shape(3), -128, 0, 127));
        assertThat(ints.dtype()).isEqualTo(DataType.INT8);
        assertThat(ints.longs()).containsExactly(0, 0, 127);
        assertThatThrownBy(() -> run(14, "Relu", Tensor.ofBooleans(shape(1), true)))
                .isInstanceOf(OctetException.class).hasMessageContaining("input is bool");
    }

    @Test
    void clipReadsAttributesBeforeOpset11() {
        Tensor x = floats(shape(5), -3, -1, 0, 1, 3);
        assertThat(run(9, "Clip", x, Attribute.of("min", -1f), Attribute.of("max", 2f)).floats())
                .containsExactly(-1, -1, 0, 1, 2);
        assertThat(run(9, "Clip", x, Attribute.of("max", 0.5f)).floats()).containsExactly(-3, -1, 0, 0.5f, 0.5f);
    }

    @Test
    void clipReadsOptionalInputsFromOpset11AndClipsIntegers() {
        Tensor x = floats(shape(5), -3, -1, 0, 1, 3);
        Tensor lo = Tensor.ofFloats(shape(), -1);
        Tensor hi = Tensor.ofFloats(shape(), 2);
        assertThat(run(11, "Clip", Arrays.asList(x, lo, hi)).floats()).containsExactly(-1, -1, 0, 1, 2);
        assertThat(run(11, "Clip", Arrays.asList(x, null, hi)).floats()).containsExactly(-3, -1, 0, 1, 2);
        assertThat(run(11, "Clip", Arrays.asList(x)).floats()).containsExactly(-3, -1, 0, 1, 3);
        // min > max: every value becomes max.
        assertThat(run(13, "Clip", Arrays.asList(x, hi, lo)).floats()).containsOnly(-1);

        Tensor ints = Tensor.ofLongs(DataType.INT32, shape(3), -100, 5, 100);
        Tensor zero = Tensor.ofLongs(DataType.INT32, shape(), 0);
        Tensor six = Tensor.ofLongs(DataType.INT32, shape(), 6);
        assertThat(run(12, "Clip", Arrays.asList(ints, zero, six)).longs()).containsExactly(0, 5, 6);
        assertThatThrownBy(() -> run(12, "Clip", Arrays.asList(ints, lo)))
                .isInstanceOf(OctetException.class).hasMessageContaining("one element type");
    }

    @Test
    void hardSigmoidAndHardSwishFollowTheirFormulas() {
        Tensor x = floats(shape(5), -4, -1, 0, 1, 4);
        assertThat(run(9, "HardSigmoid", floats(shape(5), -4, -0.5f, 0, 1, 4)).floats())
                .containsExactly(0, 0.4f, 0.5f, 0.7f, 1);
        assertThat(run(9, "HardSigmoid", x, Attribute.of("alpha", 0.5f), Attribute.of("beta", 0f)).floats())
                .containsExactly(0, 0, 0, 0.5f, 1);
        assertThat(run(14, "HardSwish", x).floats())
                .containsExactly(-0f, (float) (-1.0 / 3), 0, (float) (2.0 / 3), 4);
    }

    @Test
    void sigmoidAndSqrtRoundOnceFromDouble() {
        Tensor y = run(13, "Sigmoid", floats(shape(3), 0, -1000, 1000));
        assertThat(y.floats()).containsExactly(0.5f, 0, 1);
        assertThat(run(13, "Sigmoid", floats(shape(1), 1)).floats()[0]).isEqualTo((float) (1 / (1 + Math.exp(-1))));
        Tensor half = Tensor.of(DataType.FLOAT16, shape(2), new float[] {2, -1});
        Tensor r = run(13, "Sqrt", half);
        assertThat(r.dtype()).isEqualTo(DataType.FLOAT16);
        assertThat(r.floats()).containsExactly(Tensor.round(DataType.FLOAT16, Math.sqrt(2)), Float.NaN);
    }
}
