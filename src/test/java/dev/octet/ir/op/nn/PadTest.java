package dev.octet.ir.op.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.octet.ir.Attribute;
import dev.octet.ir.DataType;
import dev.octet.ir.Dim;
import dev.octet.ir.OctetException;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.op.OpTestRun;
import java.util.List;
import org.junit.jupiter.api.Test;

class PadTest {
    private static final Tensor ROW = Tensor.ofFloats(new int[] {3}, 1, 2, 3);

    private static Tensor pad(String mode, Tensor x, long... pads) {
        return OpTestRun.op("Pad", 13, Attribute.of("mode", mode)).run1(x, Tensor.int64Vector(pads));
    }

    @Test
    void constantPadsWithTheConstantValueInput() {
        // pads = [begin of axis 0, begin of axis 1, end of axis 0, end of axis 1]
        Tensor x = Tensor.ofFloats(new int[] {2, 2}, 1, 2, 3, 4);
        Tensor y = OpTestRun.op("Pad", 11).run1(x, Tensor.int64Vector(1, 0, 0, 1), Tensor.ofFloats(new int[0], 9));
        assertThat(y.shape()).containsExactly(3, 3);
        assertThat(y.floats()).containsExactly(9, 9, 9, 1, 2, 9, 3, 4, 9);
        assertThat(pad("constant", ROW, 1, 1).floats()).containsExactly(0, 1, 2, 3, 0);
    }

    @Test
    void reflectMirrorsWithoutRepeatingTheEdgeEvenPastOneReflection() {
        assertThat(pad("reflect", ROW, 2, 2).floats()).containsExactly(3, 2, 1, 2, 3, 2, 1);
        assertThat(pad("reflect", ROW, 4, 0).floats()).containsExactly(1, 2, 3, 2, 1, 2, 3);
    }

    @Test
    void edgeRepeatsTheEdgeElement() {
        assertThat(pad("edge", ROW, 2, 1).floats()).containsExactly(1, 1, 1, 2, 3, 3);
    }

    @Test
    void negativePadsCropBeforePadding() {
        Tensor x = Tensor.ofFloats(new int[] {4}, 1, 2, 3, 4);
        assertThat(pad("constant", x, -1, -1).floats()).containsExactly(2, 3);
        assertThat(pad("edge", x, -1, 2).floats()).containsExactly(2, 3, 4, 4, 4);
        assertThat(pad("reflect", x, 1, -2).floats()).containsExactly(2, 1, 2);
        assertThatThrownBy(() -> pad("constant", x, -3, -2)).isInstanceOf(OctetException.class)
                .hasMessageContaining("crop more than");
    }

    @Test
    void opset9TakesPadsAndValueAsAttributes() {
        Tensor y = OpTestRun.op("Pad", 9, Attribute.of("pads", 1L, 1L), Attribute.of("value", 1.5f))
                .run1(Tensor.ofFloats(new int[] {2}, 1, 2));
        assertThat(y.floats()).containsExactly(1.5f, 1, 2, 1.5f);
    }

    @Test
    void copiesIntegersExactly() {
        Tensor x = Tensor.ofLongs(DataType.INT64, new int[] {2}, Long.MAX_VALUE, Long.MIN_VALUE);
        Tensor y = OpTestRun.op("Pad", 11, Attribute.of("mode", "edge")).run1(x, Tensor.int64Vector(1, 1));
        assertThat(y.longs()).containsExactly(Long.MAX_VALUE, Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE);
    }

    @Test
    void failsClearlyOnAbsurdPads() {
        assertThatThrownBy(() -> pad("constant", ROW, 1L << 40, 0)).isInstanceOf(OctetException.class)
                .hasMessageContaining("2^28");
        assertThatThrownBy(() -> pad("constant", ROW, 1, 2, 3)).isInstanceOf(OctetException.class)
                .hasMessageContaining("2 × rank");
        assertThatThrownBy(() -> pad("wrap", ROW, 1, 1)).isInstanceOf(OctetException.class)
                .hasMessageContaining("wrap");
    }

    @Test
    void inferenceKnowsTheShapeOnlyWhenThePadsAreConstant() {
        TensorType x = new TensorType(DataType.FLOAT, List.of(Dim.symbol("n"), Dim.of(5)));
        TensorType[] types = {x, TensorType.of(DataType.INT64, 4)};
        assertThat(OpTestRun.op("Pad", 13).infer(types, null, Tensor.int64Vector(0, 1, 0, 2)).get(0).toString())
                .isEqualTo("f32[n,8]");
        assertThat(OpTestRun.op("Pad", 13).infer(types, null, Tensor.int64Vector(1, 0, 0, 0)).get(0).toString())
                .isEqualTo("f32[?,5]");
        assertThat(OpTestRun.op("Pad", 13).infer(types).get(0).toString()).isEqualTo("f32[?,?]");
    }
}
