package dev.octet.ir.op.quant;

import static dev.octet.ir.op.quant.QuantizeLinearTest.scalar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.octet.ir.Attribute;
import dev.octet.ir.DataType;
import dev.octet.ir.OctetException;
import dev.octet.ir.Tensor;
import dev.octet.ir.op.OpTestRun;
import org.junit.jupiter.api.Test;

class DequantizeLinearTest {
    @Test
    void subtractsTheZeroPointAndScales() {
        Tensor y = OpTestRun.op("DequantizeLinear", 10).run1(Tensor.ofLongs(DataType.UINT8, new int[] {3}, 0, 128, 255),
                scalar(0.5f), scalar(DataType.UINT8, 128));
        assertThat(y.dtype()).isEqualTo(DataType.FLOAT);
        assertThat(y.floats()).containsExactly(-64f, 0f, 63.5f);
    }

    @Test
    void dequantizesInt32BiasesWithZeroPointZero() {
        Tensor bias = Tensor.ofLongs(DataType.INT32, new int[] {2}, -3, 7);
        assertThat(OpTestRun.op("DequantizeLinear", 13).run1(bias, scalar(0.25f), null).floats())
                .containsExactly(-0.75f, 1.75f);
        assertThatThrownBy(() -> OpTestRun.op("DequantizeLinear", 13).run1(bias, scalar(0.25f),
                scalar(DataType.INT32, 1))).isInstanceOf(OctetException.class).hasMessageContaining("zero point 0");
    }

    @Test
    void dequantizesPerAxis() {
        Tensor x = Tensor.ofLongs(DataType.INT8, new int[] {2, 2}, 1, 2, 3, 4);
        Tensor y = OpTestRun.op("DequantizeLinear", 13, Attribute.of("axis", 0L)).run1(x,
                Tensor.ofFloats(new int[] {2}, 1, 0.5f), Tensor.ofLongs(DataType.INT8, new int[] {2}, 0, -2));
        assertThat(y.floats()).containsExactly(1f, 2f, 2.5f, 3f);
    }

    @Test
    void rejectsAZeroPointOfAnotherType() {
        assertThatThrownBy(() -> OpTestRun.op("DequantizeLinear", 13).run1(
                Tensor.ofLongs(DataType.INT8, new int[] {1}, 1), scalar(1f), scalar(DataType.UINT8, 0)))
                .isInstanceOf(OctetException.class).hasMessageContaining("must have the input's type");
    }
}
