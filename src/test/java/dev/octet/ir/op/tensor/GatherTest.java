package dev.octet.ir.op.tensor;

import static dev.octet.ir.op.tensor.OpHarness.f32;
import static dev.octet.ir.op.tensor.OpHarness.i64;
import static dev.octet.ir.op.tensor.OpHarness.ints;
import static dev.octet.ir.op.tensor.OpHarness.iota;
import static dev.octet.ir.op.tensor.OpHarness.longs;
import static dev.octet.ir.op.tensor.OpHarness.op;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.octet.ir.Attribute;
import dev.octet.ir.DataType;
import dev.octet.ir.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class GatherTest {
    @Test
    void replacesTheAxisByTheIndicesShape() {
        Tensor y = op("Gather", 13).attr(Attribute.of("axis", 1L)).run1(iota(2, 3),
                longs(DataType.INT32, new int[] {2, 2}, 2, 0, 1, 1));
        assertThat(y.shape()).containsExactly(2, 2, 2);
        assertThat(y.floats()).containsExactly(2, 0, 1, 1, 5, 3, 4, 4);
        assertThat(op("Gather", 13).attr(Attribute.of("axis", 1L)).infer1(List.of(f32("N", 3, "W"), i64(2, 5))))
                .hasToString("f32[N,2,5,W]");
    }

    @Test
    void aScalarIndexDropsTheAxisAndNegativeIndicesCountFromTheEnd() {
        Tensor shape = ints(1, 3, 32, 100);
        Tensor last = op("Gather", 13).run1(shape, longs(DataType.INT64, new int[0], -1));
        assertThat(last.shape()).isEmpty();
        assertThat(last.longs()).containsExactly(100);
    }

    @Test
    void rejectsAnIndexOutOfRange() {
        assertThatThrownBy(() -> op("Gather", 13).run1(iota(3), ints(3)))
                .hasMessageContaining("index 3 is out of range for an axis of size 3");
        assertThatThrownBy(() -> op("Gather", 13).run1(iota(3), ints(-4))).hasMessageContaining("index -4");
    }

    @Test
    void gatherElementsReadsAlongTheAxisAtEachPosition() {
        Tensor x = iota(2, 3);
        Tensor idx = longs(DataType.INT64, new int[] {2, 2}, 2, -3, 1, 1);
        Tensor y = op("GatherElements", 13).attr(Attribute.of("axis", 1L)).run1(x, idx);
        assertThat(y.floats()).containsExactly(2, 0, 4, 4);
        Tensor rows = op("GatherElements", 13).run1(x, longs(DataType.INT64, new int[] {1, 3}, 1, 0, 1));
        assertThat(rows.floats()).containsExactly(3, 1, 5);
    }
}
