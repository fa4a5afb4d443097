package dev.octet.ir.op.tensor;

import static dev.octet.ir.op.tensor.OpHarness.f32;
import static dev.octet.ir.op.tensor.OpHarness.iota;
import static dev.octet.ir.op.tensor.OpHarness.op;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.octet.ir.Attribute;
import dev.octet.ir.DataType;
import dev.octet.ir.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class TransposeTest {
    @Test
    void reversesTheAxesByDefault() {
        Tensor y = op("Transpose", 13).run1(iota(2, 3));
        assertThat(y.shape()).containsExactly(3, 2);
        assertThat(y.floats()).containsExactly(0, 3, 1, 4, 2, 5);
    }

    @Test
    void outputAxisIReadsInputAxisPermI() {
        Tensor y = op("Transpose", 13).attr(Attribute.of("perm", 1L, 2L, 0L)).run1(iota(2, 3, 4));
        assertThat(y.shape()).containsExactly(3, 4, 2);
        // y[i][j][k] = x[k][i][j] = 12k + 4i + j
        assertThat(y.floats()[1 * 8 + 2 * 2 + 1]).isEqualTo(12 + 4 + 2);
        assertThat(op("Transpose", 13).attr(Attribute.of("perm", 0L, 2L, 1L)).infer1(List.of(f32("N", 3, "W"))))
                .hasToString("f32[N,W,3]");
    }

    @Test
    void movesAnyElementType() {
        Tensor s = Tensor.of(DataType.STRING, new int[] {2, 2}, new String[] {"a", "b", "c", "d"});
        assertThat(op("Transpose", 13).run1(s).strings()).containsExactly("a", "c", "b", "d");
        Tensor b = Tensor.ofBooleans(new int[] {1, 2}, true, false);
        assertThat(op("Transpose", 13).run1(b).booleans()).containsExactly(true, false);
    }

    @Test
    void rejectsAPermThatIsNotAPermutation() {
        assertThatThrownBy(() -> op("Transpose", 13).attr(Attribute.of("perm", 0L, 0L)).run1(iota(2, 2)))
                .hasMessageContaining("not a permutation");
        assertThatThrownBy(() -> op("Transpose", 13).attr(Attribute.of("perm", new long[] {0})).run1(iota(2, 2)))
                .hasMessageContaining("one entry per axis");
    }

    @Test
    void depthToSpaceDcrAndCrdOrderChannelsDifferently() {
        Tensor x = iota(1, 4, 1, 1);
        var dcr = op("DepthToSpace", 13).attr(Attribute.of("blocksize", 2L));
        assertThat(dcr.run1(x).shape()).containsExactly(1, 1, 2, 2);
        assertThat(dcr.run1(iota(1, 8, 1, 1)).floats()).containsExactly(0, 2, 4, 6, 1, 3, 5, 7);
        var crd = op("DepthToSpace", 13).attr(Attribute.of("blocksize", 2L)).attr(Attribute.of("mode", "CRD"));
        assertThat(crd.run1(iota(1, 8, 1, 1)).floats()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
    }

    @Test
    void spaceToDepthUndoesDepthToSpaceInDcrMode() {
        Tensor x = iota(2, 8, 3, 5);
        Tensor spread = op("DepthToSpace", 13).attr(Attribute.of("blocksize", 2L)).run1(x);
        assertThat(spread.shape()).containsExactly(2, 2, 6, 10);
        Tensor back = op("SpaceToDepth", 13).attr(Attribute.of("blocksize", 2L)).run1(spread);
        assertThat(back.sameAs(x)).isTrue();
        assertThatThrownBy(() -> op("SpaceToDepth", 13).attr(Attribute.of("blocksize", 2L)).run1(iota(1, 1, 3, 2)))
                .hasMessageContaining("not a multiple of blocksize");
    }
}
