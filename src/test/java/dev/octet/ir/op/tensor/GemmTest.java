package dev.octet.ir.op.tensor;

import static dev.octet.ir.op.tensor.OpHarness.f32;
import static dev.octet.ir.op.tensor.OpHarness.floats;
import static dev.octet.ir.op.tensor.OpHarness.iota;
import static dev.octet.ir.op.tensor.OpHarness.longs;
import static dev.octet.ir.op.tensor.OpHarness.op;
import static dev.octet.ir.op.tensor.OpHarness.shape;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.octet.ir.Attribute;
import dev.octet.ir.DataType;
import dev.octet.ir.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class GemmTest {
    private static final Tensor A = iota(2, 3);
    private static final Tensor B = iota(3, 2);

    @Test
    void computesAlphaABPlusBetaC() {
        Tensor y = op("Gemm", 13).attr(Attribute.of("alpha", 2f)).attr(Attribute.of("beta", 0.5f))
                .run1(A, B, floats(shape(2, 2), 2, 4, 6, 8));
        assertThat(y.floats()).containsExactly(21, 28, 59, 84);
    }

    @Test
    void transposesEitherInput() {
        Tensor plain = op("Gemm", 13).run1(A, B);
        Tensor at = op("Transpose", 13).run1(A);
        Tensor bt = op("Transpose", 13).run1(B);
        var both = op("Gemm", 13).attr(Attribute.of("transA", 1L)).attr(Attribute.of("transB", 1L));
        assertThat(both.run1(at, bt).sameAs(plain)).isTrue();
        assertThat(op("Gemm", 13).attr(Attribute.of("transB", 1L)).infer1(List.of(f32("N", 64), f32(10, 64))))
                .hasToString("f32[N,10]");
    }

    @Test
    void cBroadcastsToTheOutputAndIsOptionalFromOpset11() {
        Tensor row = op("Gemm", 13).run1(A, B, floats(shape(2), 100, 200));
        assertThat(row.floats()).containsExactly(110, 213, 128, 240);
        Tensor scalar = op("Gemm", 13).run1(A, B, floats(shape(), 1));
        assertThat(scalar.floats()).containsExactly(11, 14, 29, 41);
        assertThat(op("Gemm", 11).run1(A, B, null).floats()).containsExactly(10, 13, 28, 40);
        assertThatThrownBy(() -> op("Gemm", 13).run1(A, B, floats(shape(3), 1, 2, 3)))
                .hasMessageContaining("cannot be broadcast");
        // C may not widen the output: [4, 1] broadcasts with [1, 2], but to [4, 2].
        assertThatThrownBy(() -> op("Gemm", 13).run1(iota(1, 3), B, floats(shape(4, 1), 1, 2, 3, 4)))
                .hasMessageContaining("does not broadcast to [M, N]");
    }

    @Test
    void integerGemmIsExact() {
        Tensor a = longs(DataType.INT64, shape(1, 2), 1L << 40, 1);
        Tensor b = longs(DataType.INT64, shape(2, 1), 3, 5);
        Tensor c = longs(DataType.INT64, shape(1), 7);
        assertThat(op("Gemm", 13).run1(a, b, c).longs()).containsExactly(3 * (1L << 40) + 12);
    }
}
