package dev.octet.ir.op.math;

import static dev.octet.ir.op.math.NodeRunner.floats;
import static dev.octet.ir.op.math.NodeRunner.run;
import static dev.octet.ir.op.math.NodeRunner.shape;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.octet.ir.DataType;
import dev.octet.ir.OctetException;
import dev.octet.ir.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class VariadicTest {
    private static final Tensor A = floats(shape(2, 2), 1, 5, 3, 0);
    private static final Tensor B = floats(shape(2), 4, 2);
    private static final Tensor C = Tensor.ofFloats(shape(), 3);

    @Test
    void minAndMaxBroadcastAnyNumberOfInputs() {
        assertThat(run(13, "Max", List.of(A, B, C)).floats()).containsExactly(4, 5, 4, 3);
        assertThat(run(13, "Min", List.of(A, B, C)).floats()).containsExactly(1, 2, 3, 0);
        assertThat(run(13, "Max", List.of(A)).floats()).containsExactly(1, 5, 3, 0);
        Tensor u8 = Tensor.ofLongs(DataType.UINT8, shape(2), 200, 3);
        assertThat(run(13, "Max", List.of(u8, Tensor.ofLongs(DataType.UINT8, shape(1), 100))).longs())
                .containsExactly(200, 100);
    }

    @Test
    void sumAndMeanAccumulateInDoubleAndRoundOnce() {
        assertThat(run(13, "Sum", List.of(A, B, C)).floats()).containsExactly(8, 10, 10, 5);
        assertThat(run(13, "Mean", List.of(A, B, C)).floats()).containsExactly(8f / 3, 10f / 3, 10f / 3, 5f / 3);
        // In float, (2^24 + 1) + 1 would give 2^24 before the last term.
        Tensor big = floats(shape(1), 1 << 24);
        Tensor one = floats(shape(1), 1);
        assertThat(run(13, "Sum", List.of(big, one, one)).floats()).containsExactly((1 << 24) + 2);
    }

    @Test
    void rejectsMixedTypes() {
        assertThatThrownBy(() -> run(13, "Min", List.of(A, Tensor.ofLongs(DataType.INT64, shape(1), 1))))
                .isInstanceOf(OctetException.class).hasMessageContaining("one element type");
    }
}
