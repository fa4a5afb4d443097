package dev.octet.ir.op.tensor;

import static dev.octet.ir.op.tensor.OpHarness.f32;
import static dev.octet.ir.op.tensor.OpHarness.i64;
import static dev.octet.ir.op.tensor.OpHarness.ints;
import static dev.octet.ir.op.tensor.OpHarness.iota;
import static dev.octet.ir.op.tensor.OpHarness.op;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.octet.ir.Attribute;
import dev.octet.ir.OctetException;
import dev.octet.ir.Tensor;
import dev.octet.ir.UnsupportedModelException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReshapeTest {
    @Test
    void zeroCopiesTheInputDimensionAndMinusOneTakesTheRest() {
        Tensor y = op("Reshape", 13).run1(iota(2, 3, 4), ints(0, -1));
        assertThat(y.shape()).containsExactly(2, 12);
        assertThat(y.floats()).isEqualTo(iota(2, 3, 4).floats());
    }

    @Test
    void allowZeroFromOpset14MakesZeroALiteralSize() {
        Tensor empty = Tensor.ofFloats(new int[] {0, 3});
        assertThat(op("Reshape", 14).attr(Attribute.of("allowzero", 1L)).run1(empty, ints(3, 0)).shape())
                .containsExactly(3, 0);
        assertThatThrownBy(() -> op("Reshape", 14).attr(Attribute.of("allowzero", 1L)).run1(empty, ints(0, -1)))
                .isInstanceOf(OctetException.class).hasMessageContaining("both 0 and -1");
        // Before opset 14 the attribute does not exist and 0 copies.
        assertThat(op("Reshape", 13).attr(Attribute.of("allowzero", 1L)).run1(iota(2, 3), ints(0, 3)).shape())
                .containsExactly(2, 3);
    }

    @Test
    void keepsSymbolicDimensionsWhereTheyCanBeTold() {
        var reshape = op("Reshape", 13);
        assertThat(reshape.infer1(List.of(f32("N", 3, 4), i64(2)), null, ints(0, -1))).hasToString("f32[N,12]");
        assertThat(reshape.infer1(List.of(f32("N", 3, 4), i64(2)), null, ints(-1, 12))).hasToString("f32[N,12]");
        assertThat(reshape.infer1(List.of(f32("N", 3, "W"), i64(3)), null, ints(0, 3, -1))).hasToString("f32[N,3,W]");
        assertThat(reshape.infer1(List.of(f32("N", 3, "W"), i64(2)), null, ints(-1, 6))).hasToString("f32[?,6]");
    }

    @Test
    void aShapeKnownOnlyByItsLengthGivesTheRank() {
        assertThat(op("Reshape", 13).infer1(List.of(f32(2, 3), i64(3)))).hasToString("f32[?,?,?]");
        assertThatThrownBy(() -> op("Reshape", 13).infer1(List.of(f32(2, 3), i64("?"))))
                .isInstanceOf(UnsupportedModelException.class).hasMessageContaining("constant");
    }

    @Test
    void rejectsShapesThatDoNotFit() {
        assertThatThrownBy(() -> op("Reshape", 13).run1(iota(2, 3), ints(4, 2)))
                .isInstanceOf(OctetException.class).hasMessageContaining("cannot reshape");
        assertThatThrownBy(() -> op("Reshape", 13).run1(iota(2, 3), ints(-1, -1)))
                .hasMessageContaining("more than one -1");
        assertThatThrownBy(() -> op("Reshape", 13).run1(iota(2, 3), ints(4, -1)))
                .hasMessageContaining("cannot be split");
    }

    @Test
    void flattenJoinsTheAxesBeforeAndFromTheAxis() {
        assertThat(op("Flatten", 13).run1(iota(2, 3, 4)).shape()).containsExactly(2, 12);
        assertThat(op("Flatten", 13).attr(Attribute.of("axis", 0L)).run1(iota(2, 3, 4)).shape())
                .containsExactly(1, 24);
        assertThat(op("Flatten", 13).attr(Attribute.of("axis", 3L)).run1(iota(2, 3, 4)).shape())
                .containsExactly(24, 1);
        assertThat(op("Flatten", 11).attr(Attribute.of("axis", -1L)).run1(iota(2, 3, 4)).shape())
                .containsExactly(6, 4);
        assertThat(op("Flatten", 13).infer1(List.of(f32("N", 3, 4, 4)))).hasToString("f32[N,48]");
        assertThatThrownBy(() -> op("Flatten", 13).attr(Attribute.of("axis", 4L)).run1(iota(2, 3, 4)))
                .hasMessageContaining("axis 4 is out of range");
    }
}
