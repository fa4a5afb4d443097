package dev.octet.ir.op.quant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.octet.ir.Attribute;
import dev.octet.ir.DataType;
import dev.octet.ir.OctetException;
import dev.octet.ir.Tensor;
import dev.octet.ir.op.OpTestRun;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.FloatRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Scale;
import org.junit.jupiter.api.Test;

class QuantizeLinearTest {
    static Tensor scalar(float v) {
        return Tensor.ofFloats(new int[0], v);
    }

    static Tensor scalar(DataType type, long v) {
        return Tensor.ofLongs(type, new int[0], v);
    }

    private static Tensor quantize(int opset, Tensor x, Tensor scale, Tensor zeroPoint, Attribute... attrs) {
        return OpTestRun.op("QuantizeLinear", opset, attrs).run1(x, scale, zeroPoint);
    }

    @Test
    void roundsHalfToEven() {
        // x / scale = 2.5, 3.5, -2.5, 0.5, 1.5
        Tensor x = Tensor.ofFloats(new int[] {5}, 1.25f, 1.75f, -1.25f, 0.25f, 0.75f);
        Tensor y = quantize(13, x, scalar(0.5f), scalar(DataType.INT8, 0));
        assertThat(y.dtype()).isEqualTo(DataType.INT8);
        assertThat(y.longs()).containsExactly(2, 4, -2, 0, 2);
    }

    @Test
    void roundsBeforeAddingTheZeroPoint() {
        // 2.5 rounds to 2, then + 1 = 3; rounding 2.5 + 1 = 3.5 would give 4.
        Tensor y = quantize(10, Tensor.ofFloats(new int[] {1}, 2.5f), scalar(1f), scalar(DataType.UINT8, 1));
        assertThat(y.longs()).containsExactly(3);
    }

    @Test
    void saturatesToTheOutputType() {
        Tensor u8 = quantize(13, Tensor.ofFloats(new int[] {6}, 127, 128, -128, -129, 1000, -1000), scalar(1f),
                scalar(DataType.UINT8, 128));
        assertThat(u8.longs()).containsExactly(255, 255, 0, 0, 255, 0);
        Tensor i8 = quantize(13, Tensor.ofFloats(new int[] {7}, 127.4f, 127.6f, -128.4f, -128.6f,
                Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN), scalar(1f), scalar(DataType.INT8, 0));
        assertThat(i8.longs()).containsExactly(127, 127, -128, -128, 127, -128, 0);
    }

    @Test
    void withoutZeroPointQuantizesToUint8AroundZero() {
        Tensor y = quantize(13, Tensor.ofFloats(new int[] {4}, -1, 0, 1.4f, 300), scalar(1f), null);
        assertThat(y.dtype()).isEqualTo(DataType.UINT8);
        assertThat(y.longs()).containsExactly(0, 0, 1, 255);
    }

    @Test
    void quantizesInt32Inputs() {
        Tensor y = quantize(13, Tensor.ofLongs(DataType.INT32, new int[] {2}, 5, -7), scalar(2f),
                scalar(DataType.INT8, 0));
        assertThat(y.longs()).containsExactly(2, -4); // 2.5 -> 2, -3.5 -> -4
    }

    @Test
    void quantizesPerAxisFromOpset13() {
        Tensor x = Tensor.ofFloats(new int[] {2, 3}, 4, 4, 4, 8, 8, 8);
        Tensor scale = Tensor.ofFloats(new int[] {3}, 1, 2, 4);
        Tensor zeroPoint = Tensor.ofLongs(DataType.UINT8, new int[] {3}, 0, 10, 20);
        assertThat(quantize(13, x, scale, zeroPoint).longs()).containsExactly(4, 12, 21, 8, 14, 22);
        // axis -2 is axis 0 here: one scale per row.
        Tensor rows = quantize(13, x, Tensor.ofFloats(new int[] {2}, 1, 4),
                Tensor.ofLongs(DataType.UINT8, new int[] {2}, 0, 1), Attribute.of("axis", -2L));
        assertThat(rows.longs()).containsExactly(4, 4, 4, 3, 3, 3);
    }

    @Test
    void rejectsPerAxisParametersThatDoNotFit() {
        Tensor x = Tensor.ofFloats(new int[] {2, 3}, new float[6]);
        Tensor scale = Tensor.ofFloats(new int[] {3}, 1, 2, 4);
        Tensor zeroPoint = Tensor.ofLongs(DataType.UINT8, new int[] {3}, 0, 0, 0);
        assertThatThrownBy(() -> quantize(10, x, scale, zeroPoint)).isInstanceOf(OctetException.class)
                .hasMessageContaining("needs opset 13");
        assertThatThrownBy(() -> quantize(13, x, scale, zeroPoint, Attribute.of("axis", 0L)))
                .isInstanceOf(OctetException.class).hasMessageContaining("scale has 3 values but axis 0");
        assertThatThrownBy(() -> quantize(13, x, scale, Tensor.ofLongs(DataType.UINT8, new int[] {2}, 0, 0)))
                .isInstanceOf(OctetException.class).hasMessageContaining("must have the shape of scale");
    }

    @Property(tries = 200)
    void dequantizingThenQuantizingGivesBackEveryValue(@ForAll @FloatRange(min = 1e-4f, max = 1e3f) @Scale(6) float scale,
            @ForAll @IntRange(min = 0, max = 255) int zeroPoint) {
        long[] all = new long[256];
        for (int q = 0; q < 256; q++) {
            all[q] = q;
        }
        Tensor q = Tensor.ofLongs(DataType.UINT8, new int[] {256}, all);
        Tensor zp = scalar(DataType.UINT8, zeroPoint);
        Tensor real = OpTestRun.op("DequantizeLinear", 13).run1(q, scalar(scale), zp);
        assertThat(quantize(13, real, scalar(scale), zp).longs()).containsExactly(all);
    }

    @Property(tries = 200)
    void quantizingThenDequantizingIsWithinHalfAStep(@ForAll @FloatRange(min = -1, max = 1) @Scale(6) float x,
            @ForAll @FloatRange(min = 1e-3f, max = 1) @Scale(6) float scale, @ForAll @IntRange(min = -128, max = 127) int zp) {
        Tensor zeroPoint = scalar(DataType.INT8, zp);
        float lo = (-128 - zp) * scale;
        float hi = (127 - zp) * scale;
        float v = Math.clamp(x * 200 * scale, lo, hi); // a value the int8 grid covers
        Tensor q = quantize(13, Tensor.ofFloats(new int[] {1}, v), scalar(scale), zeroPoint);
        float back = OpTestRun.op("DequantizeLinear", 13).run1(q, scalar(scale), zeroPoint).floats()[0];
        assertThat((double) Math.abs(back - v)).isLessThanOrEqualTo(scale * 0.5 * (1 + 1e-5));
    }
}
