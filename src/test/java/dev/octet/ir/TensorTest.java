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

    @Test
    void holdsEightBitIntegersAsBytesInterchangeablyWithLongs() {
        Tensor u = Tensor.ofBytes(DataType.UINT8, new int[] {3}, new byte[] {(byte) 255, 0, (byte) 128});
        assertThat(u.isByteBacked()).isTrue();
        assertThat(u.longs()).containsExactly(255, 0, 128);
        assertThat(u.getLong(0)).isEqualTo(255);
        assertThat(u.getDouble(2)).isEqualTo(128.0);
        assertThat((long[]) u.data()).containsExactly(255, 0, 128);
        assertThat(u.sameAs(Tensor.ofLongs(DataType.UINT8, new int[] {3}, 255, 0, 128))).isTrue();
        assertThat(Tensor.ofLongs(DataType.UINT8, new int[] {3}, 255, 0, 128).sameAs(u)).isTrue();
        assertThat(u.sameAs(Tensor.ofBytes(DataType.INT8, new int[] {3}, u.bytes()))).isFalse();

        Tensor s = Tensor.ofLongs(DataType.INT8, new int[] {2}, -128, 127);
        assertThat(s.isByteBacked()).isFalse();
        assertThat(s.bytes()).containsExactly(-128, 127);
        assertThat(Tensor.ofBytes(DataType.INT8, new int[] {2}, new byte[] {-128, 127}).longs())
                .containsExactly(-128, 127);
        assertThat(u.reshape(1, 3).bytes()).isSameAs(u.bytes());
        assertThatThrownBy(() -> Tensor.ofBytes(DataType.INT32, new int[] {1}, new byte[1]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Tensor.ofFloats(new int[] {1}, 1f).bytes()).isInstanceOf(IllegalStateException.class);
    }
}
