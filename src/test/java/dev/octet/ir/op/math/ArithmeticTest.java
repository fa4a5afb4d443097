package dev.octet.ir.op.math;

import static dev.octet.ir.op.math.NodeRunner.floats;
import static dev.octet.ir.op.math.NodeRunner.infer;
import static dev.octet.ir.op.math.NodeRunner.run;
import static dev.octet.ir.op.math.NodeRunner.shape;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.octet.ir.DataType;
import dev.octet.ir.Dim;
import dev.octet.ir.OctetException;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArithmeticTest {
    @Test
    void broadcastsBothWays() {
        Tensor col = floats(shape(2, 1), 10, 20);
        Tensor row = floats(shape(3), 1, 2, 3);
        Tensor sum = run(13, "Add", col, row);
        assertThat(sum.shape()).containsExactly(2, 3);
        assertThat(sum.floats()).containsExactly(11, 12, 13, 21, 22, 23);
        assertThat(run(13, "Sub", row, col).floats()).containsExactly(-9, -8, -7, -19, -18, -17);
        assertThat(run(13, "Mul", col, Tensor.ofFloats(shape(), 0.5f)).floats()).containsExactly(5, 10);
        assertThatThrownBy(() -> run(13, "Add", floats(shape(2), 1, 2), row))
                .isInstanceOf(OctetException.class).hasMessageContaining("cannot be broadcast");
    }

    @Test
    void infersBroadcastShapesWithSymbolicDimensions() {
        TensorType a = new TensorType(DataType.FLOAT, List.of(Dim.symbol("N"), Dim.of(1), Dim.of(8)));
        TensorType b = new TensorType(DataType.FLOAT, List.of(Dim.of(5), Dim.of(1)));
        assertThat(infer(13, "Mul", List.of(a, b)).dims()).containsExactly(Dim.symbol("N"), Dim.of(5), Dim.of(8));
        assertThatThrownBy(() -> infer(13, "Add", List.of(a, TensorType.of(DataType.INT64, 8))))
                .isInstanceOf(OctetException.class).hasMessageContaining("f32 and i64");
    }

    @Test
    void integerArithmeticIsExactAndWrapsToTheType() {
        Tensor a = Tensor.ofLongs(DataType.UINT8, shape(2), 250, 3);
        Tensor b = Tensor.ofLongs(DataType.UINT8, shape(2), 10, 5);
        assertThat(run(14, "Add", a, b).longs()).containsExactly(4, 8);
        assertThat(run(14, "Sub", b, a).longs()).containsExactly(16, 2);
        Tensor big = Tensor.ofLongs(DataType.INT32, shape(1), Integer.MAX_VALUE);
        assertThat(run(14, "Mul", big, Tensor.ofLongs(DataType.INT32, shape(1), 2)).longs()).containsExactly(-2);
        Tensor i64 = Tensor.ofLongs(DataType.INT64, shape(1), 9_007_199_254_740_993L); // 2^53 + 1
        assertThat(run(14, "Add", i64, Tensor.ofLongs(DataType.INT64, shape(1), 1)).longs())
                .containsExactly(9_007_199_254_740_994L);
    }

    @Test
    void integerDivisionTruncatesTowardZeroAndRefusesZero() {
        Tensor a = Tensor.ofLongs(DataType.INT32, shape(4), 7, -7, 7, -7);
        Tensor b = Tensor.ofLongs(DataType.INT32, shape(4), 2, 2, -2, -2);
        assertThat(run(14, "Div", a, b).longs()).containsExactly(3, -3, -3, 3);
        Tensor zero = Tensor.ofLongs(DataType.INT32, shape(1), 0);
        assertThatThrownBy(() -> run(14, "Div", a, zero))
                .isInstanceOf(OctetException.class).hasMessageContaining("integer division by zero");
        assertThat(run(14, "Div", floats(shape(2), 1, -1), floats(shape(1), 0)).floats())
                .containsExactly(Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY);
    }

    @Test
    void floatResultsAreRoundedOnceToTheElementType() {
        Tensor a = Tensor.of(DataType.DOUBLE, shape(1), new double[] {0.1});
        Tensor b = Tensor.of(DataType.DOUBLE, shape(1), new double[] {0.2});
        assertThat(run(14, "Add", a, b).doubles()).containsExactly(0.1 + 0.2);
        Tensor h = Tensor.of(DataType.FLOAT16, shape(1), new float[] {2048});
        Tensor one = Tensor.of(DataType.FLOAT16, shape(1), new float[] {1});
        assertThat(run(14, "Add", h, one).floats()).containsExactly(2048); // 2049 ties to even in fp16
        assertThat(run(14, "Div", floats(shape(1), 1), floats(shape(1), 3)).floats()).containsExactly(1f / 3);
    }

    @Test
    void powTakesTheBaseTypeAndAnyNumericExponent() {
        Tensor base = floats(shape(3), 2, 4, -8);
        assertThat(run(13, "Pow", base, floats(shape(), 0.5f)).floats()).containsExactly((float) Math.sqrt(2), 2,
                Float.NaN);
        assertThat(run(13, "Pow", base, Tensor.ofLongs(DataType.INT64, shape(1), 3)).floats())
                .containsExactly(8, 64, -512);
        Tensor ints = Tensor.ofLongs(DataType.INT64, shape(4), 3, 2, -1, 2);
        Tensor exps = Tensor.ofLongs(DataType.INT64, shape(4), 39, -1, -3, 62);
        assertThat(run(13, "Pow", ints, exps).longs())
                .containsExactly(4_052_555_153_018_976_267L, 0, -1, 1L << 62);
        Tensor i32 = Tensor.ofLongs(DataType.INT32, shape(2), 3, 7);
        assertThat(run(13, "Pow", i32, floats(shape(2), 2.5f, 0.5f)).longs()).containsExactly(15, 2);
        assertThatThrownBy(() -> run(13, "Pow", Tensor.ofLongs(DataType.INT32, shape(1), 0),
                Tensor.ofLongs(DataType.INT32, shape(1), -1)))
                .isInstanceOf(OctetException.class).hasMessageContaining("negative power");
    }

    @Test
    void equalComparesNumbersAndBooleansGivingBool() {
        Tensor eq = run(11, "Equal", floats(shape(2, 2), 1, 2, Float.NaN, 4), floats(shape(2), 1, 4));
        assertThat(eq.dtype()).isEqualTo(DataType.BOOL);
        assertThat(eq.booleans()).containsExactly(true, false, false, true);
        Tensor bools = Tensor.ofBooleans(shape(2), true, false);
        assertThat(run(11, "Equal", bools, Tensor.ofBooleans(shape(1), false)).booleans())
                .containsExactly(false, true);
        Tensor i64 = Tensor.ofLongs(DataType.INT64, shape(2), Long.MAX_VALUE, Long.MAX_VALUE - 1);
        assertThat(run(11, "Equal", i64, Tensor.ofLongs(DataType.INT64, shape(), Long.MAX_VALUE)).booleans())
                .containsExactly(true, false);
    }
}
