package dev.octet.ir.op.tensor;

import static dev.octet.ir.op.tensor.OpHarness.f32;
import static dev.octet.ir.op.tensor.OpHarness.floats;
import static dev.octet.ir.op.tensor.OpHarness.iota;
import static dev.octet.ir.op.tensor.OpHarness.longs;
import static dev.octet.ir.op.tensor.OpHarness.op;
import static dev.octet.ir.op.tensor.OpHarness.shape;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.octet.ir.DataType;
import dev.octet.ir.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class MatMulTest {
    @Test
    void multipliesMatrices() {
        Tensor y = op("MatMul", 13).run1(iota(2, 3), iota(3, 2));
        assertThat(y.shape()).containsExactly(2, 2);
        assertThat(y.floats()).containsExactly(10, 13, 28, 40);
    }

    @Test
    void oneDimensionalInputsArePromotedAndTheUnitAxisDropped() {
        assertThat(op("MatMul", 13).run1(iota(3), iota(3, 2)).shape()).containsExactly(2);
        assertThat(op("MatMul", 13).run1(iota(3), iota(3, 2)).floats()).containsExactly(10, 13);
        assertThat(op("MatMul", 13).run1(iota(2, 3), iota(3)).floats()).containsExactly(5, 14);
        Tensor dot = op("MatMul", 13).run1(iota(3), iota(3));
        assertThat(dot.shape()).isEmpty();
        assertThat(dot.floats()).containsExactly(5);
        assertThat(op("MatMul", 13).run1(iota(2, 4, 3), iota(3)).shape()).containsExactly(2, 4);
    }

    @Test
    void batchAxesBroadcast() {
        Tensor a = iota(2, 1, 2, 3);
        Tensor b = iota(3, 3, 4);
        Tensor y = op("MatMul", 13).run1(a, b);
        assertThat(y.shape()).containsExactly(2, 3, 2, 4);
        // Batch (1, 2) multiplies a[1, 0] by b[2].
        Tensor expected = op("MatMul", 13).run1(floats(shape(2, 3), 6, 7, 8, 9, 10, 11),
                floats(shape(3, 4), java.util.Arrays.copyOfRange(b.floats(), 24, 36)));
        assertThat(java.util.Arrays.copyOfRange(y.floats(), (1 * 3 + 2) * 8, (1 * 3 + 2) * 8 + 8))
                .containsExactly(expected.floats());
        assertThat(op("MatMul", 13).infer1(List.of(f32("N", 1, "T", 8), f32(4, 8, 16)))).hasToString("f32[N,4,T,16]");
        assertThatThrownBy(() -> op("MatMul", 13).run1(iota(2, 3), iota(2, 3)))
                .hasMessageContaining("inner dimension");
    }

    @Test
    void accumulatesInDoubleAndRoundsOnce() {
        // Summed in float, 1e8 + 1 - 1e8 would give 0.
        Tensor y = op("MatMul", 13).run1(floats(shape(1, 3), 1e8f, 1f, -1e8f), floats(shape(3, 1), 1, 1, 1));
        assertThat(y.floats()).containsExactly(1f);
        Tensor half = op("MatMul", 13).run1(Tensor.ofDoubles(DataType.FLOAT16, shape(1, 2), new double[] {2048, 1}),
                Tensor.ofDoubles(DataType.FLOAT16, shape(2, 1), new double[] {1, 1}));
        assertThat(half.dtype()).isEqualTo(DataType.FLOAT16);
        assertThat(half.floats()).containsExactly(2048f); // 2049 rounds to even in fp16
    }

    @Test
    void integerProductsAreExactAndWrapAtTheTypeWidth() {
        Tensor big = longs(DataType.INT64, shape(1, 2), 3_000_000_000L, 1);
        assertThat(op("MatMul", 13).run1(big, longs(DataType.INT64, shape(2, 1), 3, 7)).longs())
                .containsExactly(9_000_000_007L);
        Tensor i32 = op("MatMul", 13).run1(longs(DataType.INT32, shape(1, 1), Integer.MAX_VALUE),
                longs(DataType.INT32, shape(1, 1), 2));
        assertThat(i32.longs()).containsExactly(-2);
        assertThatThrownBy(() -> op("MatMul", 13).run1(iota(2, 2), longs(DataType.INT64, shape(2, 2), 1, 2, 3, 4)))
                .hasMessageContaining("same element type");
    }
}
