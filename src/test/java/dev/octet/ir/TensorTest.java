package dev.octet.ir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TensorTest {
    @Test
    void roundsDoubleResultsOnceToTheElementType() {
        double v = 1.0 + Math.pow(2, -11) + Math.pow(2, -30); // just above the fp16 tie between 1 and 1+2^-10
        assertThat(Tensor.ofDoubles(DataType.FLOAT16, new int[] {1}, new double[] {v}).floats()[0])
                .isEqualTo(1.0f + (float) Math.pow(2, -10));
        // An exact fp16 tie rounds to even.
        assertThat(Tensor.round(DataType.FLOAT16, 1.0 + Math.pow(2, -11))).isEqualTo(1.0f);
        assertThat(Tensor.round(DataType.BFLOAT16, 1.0 + Math.pow(2, -8))).isEqualTo(1.0f);
        assertThat(Tensor.round(DataType.BFLOAT16, 1.0 + 3 * Math.pow(2, -8))).isEqualTo(1.0f + (float) Math.pow(2, -6));
        assertThat(Tensor.ofDoubles(DataType.FLOAT, new int[] {1}, new double[] {0.1}).floats()[0]).isEqualTo(0.1f);
    }

    @Test
    void checksThatValuesFitTheShape() {
        assertThatThrownBy(() -> Tensor.ofFloats(new int[] {2, 3}, 1, 2, 3)).isInstanceOf(OctetException.class)
                .hasMessageContaining("needs 6 values, got 3");
        assertThatThrownBy(() -> Shapes.size(new int[] {65536, 65536})).isInstanceOf(OctetException.class)
                .hasMessageContaining("more than 2^31");
    }

    @Test
    void storesUnsignedIntegersByValue() {
        Tensor t = Tensor.ofLongs(DataType.UINT8, new int[] {2}, 255, 0);
        assertThat(t.getLong(0)).isEqualTo(255);
        assertThat(t.type().toString()).isEqualTo("u8[2]");
        assertThat(t.reshape(1, 2).shape()).containsExactly(1, 2);
    }
}
