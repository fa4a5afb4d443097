package dev.octet.ir.op.math;

import static dev.octet.ir.op.math.NodeRunner.floats;
import static dev.octet.ir.op.math.NodeRunner.run;
import static dev.octet.ir.op.math.NodeRunner.shape;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.octet.ir.Attribute;
import dev.octet.ir.DataType;
import dev.octet.ir.OctetException;
import dev.octet.ir.Tensor;
import org.junit.jupiter.api.Test;

class UnaryMathTest {
    @Test
    void negAndAbsAreExactOnIntegersAndWrapAtTheMostNegativeValue() {
        Tensor i8 = Tensor.ofLongs(DataType.INT8, shape(3), -128, -5, 7);
        assertThat(run(13, "Neg", i8).longs()).containsExactly(-128, 5, -7);
        assertThat(run(13, "Abs", i8).longs()).containsExactly(-128, 5, 7);
        assertThat(run(13, "Abs", Tensor.ofLongs(DataType.UINT8, shape(1), 200)).longs()).containsExactly(200);
        assertThat(run(13, "Neg", floats(shape(2), 0, -1.5f)).floats()).containsExactly(-0f, 1.5f);
        assertThatThrownBy(() -> run(13, "Neg", Tensor.ofLongs(DataType.UINT8, shape(1), 1)))
                .isInstanceOf(OctetException.class).hasMessageContaining("input is u8");
    }

    @Test
    void transcendentalFunctionsAreRoundedOnceFromDouble() {
        Tensor x = floats(shape(3), -1, 0, 2);
        assertThat(run(13, "Exp", x).floats()).containsExactly((float) Math.exp(-1), 1, (float) Math.exp(2));
        assertThat(run(13, "Log", floats(shape(3), 0, -1, 10)).floats())
                .containsExactly(Float.NEGATIVE_INFINITY, Float.NaN, (float) Math.log(10));
        assertThat(run(13, "Tanh", x).floats()).containsExactly((float) Math.tanh(-1), 0, (float) Math.tanh(2));
        assertThat(run(13, "Reciprocal", x).floats()).containsExactly(-1, Float.POSITIVE_INFINITY, 0.5f);
    }

    @Test
    void floorAndCeilRoundTowardTheirSide() {
        Tensor x = floats(shape(4), -1.5f, -0.5f, 0.5f, 2);
        assertThat(run(13, "Floor", x).floats()).containsExactly(-2, -1, 0, 2);
        assertThat(run(13, "Ceil", x).floats()).containsExactly(-1, -0f, 1, 2);
    }

    @Test
    void softplusDoesNotOverflowForLargeInputs() {
        Tensor y = run(13, "Softplus", floats(shape(4), -1000, 0, 1, 1000));
        assertThat(y.floats()).containsExactly(0, (float) Math.log(2), (float) Math.log(1 + Math.E), 1000);
    }

    @Test
    void erfMatchesKnownValuesToDoublePrecision() {
        assertThat(Erf.erf(0.5)).isCloseTo(0.5204998778130465, within(1e-15));
        assertThat(Erf.erf(1)).isCloseTo(0.8427007929497149, within(1e-15));
        assertThat(Erf.erf(-2)).isCloseTo(-0.9953222650189527, within(1e-15));
        assertThat(Erf.erf(3)).isCloseTo(0.9999779095030014, within(1e-15));
        assertThat(run(13, "Erf", floats(shape(3), 0, 10, Float.NEGATIVE_INFINITY)).floats())
                .containsExactly(0, 1, -1);
    }

    @Test
    void leakyReluScalesNegativesByAlpha() {
        Tensor x = floats(shape(3), -2, 0, 3);
        assertThat(run(9, "LeakyRelu", x).floats()).containsExactly((float) (-2 * (double) 0.01f), 0, 3);
        assertThat(run(16, "LeakyRelu", x, Attribute.of("alpha", 0.5f)).floats()).containsExactly(-1, 0, 3);
    }

    @Test
    void preluTakesAPerChannelSlopeThatBroadcastsToTheInput() {
        Tensor x = floats(shape(1, 2, 1, 2), -1, 1, -2, 2);
        Tensor slope = floats(shape(2, 1, 1), 0.5f, 3);
        Tensor y = run(9, "PRelu", x, slope);
        assertThat(y.shape()).containsExactly(1, 2, 1, 2);
        assertThat(y.floats()).containsExactly(-0.5f, 1, -6, 2);
        assertThatThrownBy(() -> run(9, "PRelu", floats(shape(2), -1, 1), floats(shape(2, 2), 1, 2, 3, 4)))
                .isInstanceOf(OctetException.class);
        Tensor ints = Tensor.ofLongs(DataType.INT32, shape(2), -3, 3);
        assertThat(run(16, "PRelu", ints, Tensor.ofLongs(DataType.INT32, shape(1), 2)).longs())
                .containsExactly(-6, 3);
    }
}
