package dev.octet.ir.op.tensor;

import static dev.octet.ir.op.tensor.OpHarness.f32;
import static dev.octet.ir.op.tensor.OpHarness.i64;
import static dev.octet.ir.op.tensor.OpHarness.ints;
import static dev.octet.ir.op.tensor.OpHarness.iota;
import static dev.octet.ir.op.tensor.OpHarness.op;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.octet.ir.Attribute;
import dev.octet.ir.UnsupportedModelException;
import java.util.List;
import org.junit.jupiter.api.Test;

class SqueezeTest {
    @Test
    void squeezeTakesAxesAsAnAttributeBeforeOpset13AndAsAnInputFrom13() {
        assertThat(op("Squeeze", 11).attr(Attribute.of("axes", 0L, -1L)).run1(iota(1, 3, 1)).shape())
                .containsExactly(3);
        assertThat(op("Squeeze", 13).run1(iota(1, 3, 1), ints(-1)).shape()).containsExactly(1, 3);
        assertThat(op("Squeeze", 13).run1(iota(1, 3, 1)).shape()).containsExactly(3);
        assertThat(op("Squeeze", 13).run1(iota(1, 3, 1), ints()).shape()).containsExactly(3);
        assertThat(op("Squeeze", 9).run1(iota(1, 3, 1)).shape()).containsExactly(3);
    }

    @Test
    void squeezeRejectsAnAxisThatIsNotOne() {
        assertThatThrownBy(() -> op("Squeeze", 13).run1(iota(1, 3), ints(1)))
                .hasMessageContaining("cannot squeeze axis 1 of size 3");
    }

    @Test
    void squeezeKeepsSymbolicDimensionsAndNeedsAxesWhenTheShapeIsNotStatic() {
        assertThat(op("Squeeze", 13).infer1(List.of(f32("N", 1, "W"), i64(1)), null, ints(1)))
                .hasToString("f32[N,W]");
        assertThatThrownBy(() -> op("Squeeze", 13).infer1(List.of(f32("N", 1, "W"))))
                .isInstanceOf(UnsupportedModelException.class);
    }

    @Test
    void unsqueezeAxesIndexTheOutputInAnyOrder() {
        assertThat(op("Unsqueeze", 11).attr(Attribute.of("axes", 3L, 0L)).run1(iota(2, 3)).shape())
                .containsExactly(1, 2, 3, 1);
        assertThat(op("Unsqueeze", 13).run1(iota(2, 3), ints(-1, 1)).shape()).containsExactly(2, 1, 3, 1);
        assertThat(op("Unsqueeze", 13).run1(iota(), ints(0)).shape()).containsExactly(1);
        assertThat(op("Unsqueeze", 9).attr(Attribute.of("axes", new long[] {1})).run1(iota(2)).shape()).containsExactly(2, 1);
    }

    @Test
    void unsqueezeRejectsRepeatedOrOutOfRangeAxes() {
        assertThatThrownBy(() -> op("Unsqueeze", 13).run1(iota(2), ints(0, 0))).hasMessageContaining("given twice");
        assertThatThrownBy(() -> op("Unsqueeze", 13).run1(iota(2), ints(2))).hasMessageContaining("out of range");
        assertThatThrownBy(() -> op("Unsqueeze", 11).run1(iota(2))).hasMessageContaining("'axes' is required");
    }

    @Test
    void unsqueezeWithAxesUnknownGivesTheRankFromTheirCount() {
        assertThat(op("Unsqueeze", 13).infer1(List.of(f32("N", 3), i64(2)))).hasToString("f32[?,?,?,?]");
        assertThat(op("Unsqueeze", 13).infer1(List.of(f32("N", 3), i64(1)), null, ints(0)))
                .hasToString("f32[1,N,3]");
    }
}
