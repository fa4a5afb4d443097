package dev.octet.ir.op.tensor;

import static dev.octet.ir.op.tensor.OpHarness.f32;
import static dev.octet.ir.op.tensor.OpHarness.i64;
import static dev.octet.ir.op.tensor.OpHarness.ints;
import static dev.octet.ir.op.tensor.OpHarness.iota;
import static dev.octet.ir.op.tensor.OpHarness.op;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.octet.ir.Attribute;
import dev.octet.ir.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class SliceTest {
    private static final long MAX = Long.MAX_VALUE;

    @Test
    void beforeOpset10StartsEndsAndAxesAreAttributes() {
        Tensor y = op("Slice", 9).attr(Attribute.of("starts", new long[] {1})).attr(Attribute.of("ends", new long[] {3}))
                .attr(Attribute.of("axes", new long[] {1})).run1(iota(2, 4));
        assertThat(y.shape()).containsExactly(2, 2);
        assertThat(y.floats()).containsExactly(1, 2, 5, 6);
    }

    @Test
    void fromOpset10TheyAreInputsWithOptionalAxesAndSteps() {
        assertThat(op("Slice", 13).run1(iota(2, 4), ints(1, 1), ints(2, 3)).floats()).containsExactly(5, 6);
        assertThat(op("Slice", 13).run1(iota(2, 4), ints(0), ints(MAX), ints(-1), ints(2)).floats())
                .containsExactly(0, 2, 4, 6);
    }

    @Test
    void negativeStepsWalkBackwards() {
        assertThat(op("Slice", 13).run1(iota(5), ints(-1), ints(-MAX), ints(0), ints(-1)).floats())
                .containsExactly(4, 3, 2, 1, 0);
        assertThat(op("Slice", 13).run1(iota(5), ints(3), ints(0), ints(0), ints(-2)).floats())
                .containsExactly(3, 1);
    }

    @Test
    void startsAndEndsAreClampedToTheAxis() {
        assertThat(op("Slice", 13).run1(iota(5), ints(-100), ints(100)).floats()).containsExactly(0, 1, 2, 3, 4);
        assertThat(op("Slice", 13).run1(iota(5), ints(7), ints(9)).shape()).containsExactly(0);
        assertThat(op("Slice", 13).run1(iota(5), ints(100), ints(-100), ints(0), ints(-3)).floats())
                .containsExactly(4, 1);
        assertThat(op("Slice", 13).run1(iota(5), ints(2), ints(3), ints(0), ints(MAX)).floats()).containsExactly(2);
        // An empty axis read backwards stays empty (there is no last index to start from).
        assertThat(op("Slice", 13).run1(iota(0), ints(-1), ints(-MAX), ints(0), ints(-1)).shape()).containsExactly(0);
    }

    @Test
    void inferenceKeepsUntouchedAndWholeAxes() {
        var slice = op("Slice", 13);
        var types = List.of(f32("N", 3, "W"), i64(1), i64(1), i64(1));
        assertThat(slice.infer1(types, null, ints(1), ints(MAX), ints(1))).hasToString("f32[N,2,W]");
        assertThat(slice.infer1(types, null, ints(0), ints(MAX), ints(2))).hasToString("f32[N,3,W]");
        assertThat(slice.infer1(types, null, ints(1), ints(MAX), ints(2))).hasToString("f32[N,3,?]");
        assertThat(slice.infer1(types, null, null, null, ints(-2))).hasToString("f32[N,?,W]");
        assertThat(slice.infer1(types)).hasToString("f32[?,?,?]");
    }

    @Test
    void rejectsAZeroStepAndMismatchedLengths() {
        assertThatThrownBy(() -> op("Slice", 13).run1(iota(5), ints(0), ints(2), ints(0), ints(0)))
                .hasMessageContaining("steps must not be 0");
        assertThatThrownBy(() -> op("Slice", 13).run1(iota(5), ints(0, 1), ints(2)))
                .hasMessageContaining("same length");
        assertThatThrownBy(() -> op("Slice", 13).run1(iota(5), ints(0), ints(2), ints(1)))
                .hasMessageContaining("out of range");
    }
}
