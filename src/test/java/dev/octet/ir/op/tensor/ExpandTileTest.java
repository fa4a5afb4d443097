package dev.octet.ir.op.tensor;

import static dev.octet.ir.op.tensor.OpHarness.f32;
import static dev.octet.ir.op.tensor.OpHarness.i64;
import static dev.octet.ir.op.tensor.OpHarness.ints;
import static dev.octet.ir.op.tensor.OpHarness.iota;
import static dev.octet.ir.op.tensor.OpHarness.op;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.octet.ir.OctetException;
import dev.octet.ir.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExpandTileTest {
    @Test
    void expandBroadcastsInBothDirections() {
        // [3, 1] against [2, 1, 4]: the 1 in the shape keeps the input's 3.
        Tensor y = op("Expand", 13).run1(iota(3, 1), ints(2, 1, 4));
        assertThat(y.shape()).containsExactly(2, 3, 4);
        assertThat(y.floats()).startsWith(0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 0);
        assertThat(op("Expand", 13).run1(iota(2, 3), ints(3)).shape()).containsExactly(2, 3);
        assertThatThrownBy(() -> op("Expand", 13).run1(iota(2, 3), ints(2)))
                .hasMessageContaining("cannot be broadcast");
    }

    @Test
    void expandInfersFromAConstantShapeOrAtLeastItsLength() {
        assertThat(op("Expand", 13).infer1(List.of(f32("N", 1), i64(2)), null, ints(1, 5))).hasToString("f32[N,5]");
        assertThat(op("Expand", 13).infer1(List.of(f32("N", 1), i64(3)))).hasToString("f32[?,?,?]");
    }

    @Test
    void tileRepeatsEachAxis() {
        Tensor y = op("Tile", 13).run1(iota(2, 2), ints(1, 2));
        assertThat(y.shape()).containsExactly(2, 4);
        assertThat(y.floats()).containsExactly(0, 1, 0, 1, 2, 3, 2, 3);
        assertThat(op("Tile", 13).run1(iota(2), ints(0)).shape()).containsExactly(0);
        assertThat(op("Tile", 13).infer1(List.of(f32("N", 3), i64(2)), null, ints(1, 2))).hasToString("f32[N,6]");
        assertThatThrownBy(() -> op("Tile", 13).run1(iota(2), ints(1, 1))).hasMessageContaining("one entry per");
    }

    @Test
    void absurdSizesFailAtInferenceBeforeAnythingIsAllocated() {
        long huge = 1_000_000_000_000L;
        assertThatThrownBy(() -> op("ConstantOfShape", 9).infer1(List.of(i64(1)), ints(huge)))
                .isInstanceOf(OctetException.class).hasMessageContaining("2^31");
        assertThatThrownBy(() -> op("ConstantOfShape", 9).infer1(List.of(i64(2)), ints(1 << 20, 1 << 20)))
                .isInstanceOf(OctetException.class).hasMessageContaining("2^31");
        assertThatThrownBy(() -> op("Expand", 13).infer1(List.of(f32(1), i64(2)), null, ints(huge, huge)))
                .isInstanceOf(OctetException.class);
        assertThatThrownBy(() -> op("Tile", 13).infer1(List.of(f32(2, 2), i64(2)), null, ints(huge, huge)))
                .isInstanceOf(OctetException.class);
        assertThatThrownBy(() -> op("Tile", 13).run1(iota(2, 2), ints(1 << 16, 1 << 16)))
                .isInstanceOf(OctetException.class).hasMessageContaining("2^31");
        assertThatThrownBy(() -> op("Reshape", 13).infer1(List.of(f32(2, 2), i64(2)), null, ints(huge, huge)))
                .isInstanceOf(OctetException.class);
    }
}
