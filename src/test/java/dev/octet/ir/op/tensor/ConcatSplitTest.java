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

class ConcatSplitTest {
    @Test
    void concatJoinsAlongANegativeAxis() {
        Tensor y = op("Concat", 13).attr(Attribute.of("axis", -1L)).run1(iota(2, 1), iota(2, 2));
        assertThat(y.shape()).containsExactly(2, 3);
        assertThat(y.floats()).containsExactly(0, 0, 1, 1, 2, 3);
    }

    @Test
    void concatOfInt64VectorsBuildsShapes() {
        Tensor y = op("Concat", 13).attr(Attribute.of("axis", 0L)).run1(ints(1), ints(), ints(-1, 4));
        assertThat(y.longs()).containsExactly(1, -1, 4);
    }

    @Test
    void concatInfersSymbolicShapes() {
        var concat = op("Concat", 13).attr(Attribute.of("axis", 1L));
        assertThat(concat.infer1(List.of(f32("N", 3, "H"), f32("N", 5, 7)))).hasToString("f32[N,8,7]");
        assertThat(concat.infer1(List.of(f32("N", "C", 2), f32("N", 5, 2)))).hasToString("f32[N,?,2]");
        assertThatThrownBy(() -> concat.infer1(List.of(f32(1, 3, 2), f32(1, 3, 4))))
                .hasMessageContaining("differ in dimension 2");
    }

    @Test
    void splitSizesAreAnAttributeBeforeOpset13AndAnInputFrom13() {
        List<Tensor> a = op("Split", 11).outputs(2).attr(Attribute.of("axis", 1L)).attr(Attribute.of("split", 1L, 2L))
                .run(iota(2, 3));
        assertThat(a.get(0).floats()).containsExactly(0, 3);
        assertThat(a.get(1).floats()).containsExactly(1, 2, 4, 5);
        List<Tensor> b = op("Split", 13).outputs(2).attr(Attribute.of("axis", -1L)).run(iota(2, 3), ints(1, 2));
        assertThat(b.get(0).sameAs(a.get(0))).isTrue();
        assertThat(b.get(1).sameAs(a.get(1))).isTrue();
    }

    @Test
    void splitWithoutSizesCutsEqualParts() {
        List<Tensor> parts = op("Split", 13).outputs(3).run(iota(6, 2));
        assertThat(parts).allSatisfy(p -> assertThat(p.shape()).containsExactly(2, 2));
        assertThat(parts.get(2).floats()).containsExactly(8, 9, 10, 11);
        assertThatThrownBy(() -> op("Split", 13).outputs(4).run(iota(6, 2)))
                .hasMessageContaining("cannot be split into 4 equal parts");
        assertThatThrownBy(() -> op("Split", 13).outputs(2).run(iota(6), ints(2, 3)))
                .hasMessageContaining("does not add up");
    }

    @Test
    void splitInfersKnownSizesEvenOnASymbolicAxis() {
        var split = op("Split", 13).outputs(2).attr(Attribute.of("axis", 1L));
        assertThat(split.infer(List.of(f32("N", "W"), i64(2)), null, ints(3, 4)).toString())
                .isEqualTo("[f32[N,3], f32[N,4]]");
        assertThat(split.infer(List.of(f32("N", "W"))).toString()).isEqualTo("[f32[N,?], f32[N,?]]");
    }
}
