package dev.octet.ir.op.quant;

import static dev.octet.ir.op.quant.QuantizeLinearTest.scalar;
import static org.assertj.core.api.Assertions.assertThat;

import dev.octet.ir.DataType;
import dev.octet.ir.Tensor;
import dev.octet.ir.op.OpTestRun;
import org.junit.jupiter.api.Test;

class QLinearMatMulTest {
    private static Tensor run(Tensor... inputs) {
        return OpTestRun.op("QLinearMatMul", 10).run1(inputs);
    }

    private static Tensor u8(int[] shape, long... v) {
        return Tensor.ofLongs(DataType.UINT8, shape, v);
    }

    @Test
    void requantizesTheCentredProduct() {
        // (a - 2) = [0, 2], (b - 3) = [0, 2]^T: acc 4, M = 0.5 * 0.25 / 0.125 = 1, + 10.
        Tensor y = run(u8(new int[] {1, 2}, 2, 4), scalar(0.5f), scalar(DataType.UINT8, 2),
                u8(new int[] {2, 1}, 3, 5), scalar(0.25f), scalar(DataType.UINT8, 3),
                scalar(0.125f), scalar(DataType.UINT8, 10));
        assertThat(y.dtype()).isEqualTo(DataType.UINT8);
        assertThat(y.shape()).containsExactly(1, 1);
        assertThat(y.longs()).containsExactly(14);
    }

    @Test
    void roundsHalfToEvenAndSaturates() {
        // acc = 5 and 7 with M = 0.5: 2.5 -> 2, 3.5 -> 4; acc = 600 saturates int8.
        Tensor a = Tensor.ofLongs(DataType.INT8, new int[] {3, 1}, 5, 7, 600 / 5);
        Tensor b = Tensor.ofLongs(DataType.INT8, new int[] {1, 1}, 1);
        Tensor y = run(a, scalar(1f), scalar(DataType.INT8, 0), b, scalar(0.5f), scalar(DataType.INT8, 0),
                scalar(1f), scalar(DataType.INT8, 0));
        assertThat(y.longs()).containsExactly(2, 4, 60);
        Tensor big = run(a, scalar(1f), scalar(DataType.INT8, 0), b, scalar(4f), scalar(DataType.INT8, 0),
                scalar(1f), scalar(DataType.INT8, -100));
        assertThat(big.longs()).containsExactly(-80, -72, 127);
    }

    @Test
    void scalesEachColumnOfBByItsOwnScale() {
        Tensor a = u8(new int[] {1, 2}, 1, 1);
        Tensor b = u8(new int[] {2, 2}, 1, 1, 1, 1);
        Tensor y = run(a, scalar(1f), scalar(DataType.UINT8, 0), b, Tensor.ofFloats(new int[] {2}, 1, 2),
                u8(new int[] {2}, 0, 0), scalar(1f), scalar(DataType.UINT8, 0));
        assertThat(y.longs()).containsExactly(2, 4);
    }
}
