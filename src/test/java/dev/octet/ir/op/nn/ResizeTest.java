package dev.octet.ir.op.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.octet.ir.Attribute;
import dev.octet.ir.DataType;
import dev.octet.ir.Dim;
import dev.octet.ir.OctetException;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.UnsupportedModelException;
import dev.octet.ir.op.OpTestRun;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class ResizeTest {
    private static final Tensor NO_ROI = Tensor.ofFloats(new int[] {0});

    /** PP-OCR's upsampling: nearest, asymmetric, floor. */
    private static final Attribute[] PP_OCR = {Attribute.of("mode", "nearest"),
        Attribute.of("coordinate_transformation_mode", "asymmetric"), Attribute.of("nearest_mode", "floor")};

    /** M-LSD's upsampling: linear, half_pixel. */
    private static final Attribute[] M_LSD = {Attribute.of("mode", "linear"),
        Attribute.of("coordinate_transformation_mode", "half_pixel")};

    static Tensor floats(int[] shape, float... v) {
        return Tensor.ofFloats(shape, v);
    }

    private static Tensor scales(float... s) {
        return Tensor.ofFloats(new int[] {s.length}, s);
    }

    private static Tensor byScales(int opset, Tensor x, Tensor scales, Attribute... attrs) {
        return OpTestRun.op("Resize", opset, attrs).run1(x, NO_ROI, scales);
    }

    @Test
    void ppOcrNearestAsymmetricFloorRepeatsEachPixel() {
        Tensor x = floats(new int[] {1, 1, 2, 3}, 1, 2, 3, 4, 5, 6);
        Tensor y = byScales(11, x, scales(1, 1, 2, 2), PP_OCR);
        assertThat(y.shape()).containsExactly(1, 1, 4, 6);
        assertThat(y.floats()).containsExactly(
                1, 1, 2, 2, 3, 3,
                1, 1, 2, 2, 3, 3,
                4, 4, 5, 5, 6, 6,
                4, 4, 5, 5, 6, 6);
        // The same by sizes (opset 13: roi and scales left out), and on uint8 data (exact copies).
        Tensor sizes = Tensor.int64Vector(1, 1, 4, 6);
        Tensor u8 = Tensor.ofLongs(DataType.UINT8, new int[] {1, 1, 2, 3}, 1, 2, 3, 4, 5, 255);
        Tensor y8 = OpTestRun.op("Resize", 13, PP_OCR).run1(u8, null, null, sizes);
        assertThat(y8.dtype()).isEqualTo(DataType.UINT8);
        assertThat(y8.longs()).startsWith(1, 1, 2, 2, 3, 3).endsWith(4, 4, 5, 5, 255, 255);
    }

    @Property(tries = 50)
    void ppOcrNearestCopiesTheSourcePixelBitForBit(@ForAll @Size(12) List<Float> values,
            @ForAll @IntRange(min = 1, max = 4) int k) {
        float[] v = new float[12];
        for (int i = 0; i < v.length; i++) {
            v[i] = values.get(i);
        }
        Tensor y = byScales(13, floats(new int[] {1, 2, 2, 3}, v), scales(1, 1, k, k), PP_OCR);
        assertThat(y.shape()).containsExactly(1, 2, 2 * k, 3 * k);
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < 2 * k; i++) {
                for (int j = 0; j < 3 * k; j++) {
                    float out = y.floats()[(c * 2 * k + i) * 3 * k + j];
                    assertThat(Float.floatToRawIntBits(out))
                            .isEqualTo(Float.floatToRawIntBits(v[(c * 2 + i / k) * 3 + j / k]));
                }
            }
        }
    }

    @Test
    void mLsdLinearHalfPixelOnAHandCheckedRow() {
        // Output o reads x = (o + 0.5) / 2 - 0.5 = -0.25, 0.25, 0.75, 1.25, 1.75, 2.25; the ends clamp to the edge.
        Tensor y = byScales(11, floats(new int[] {1, 1, 1, 3}, 0, 4, 8), scales(1, 1, 1, 2), M_LSD);
        assertThat(y.floats()).containsExactly(0, 1, 3, 5, 7, 8);
        Tensor square = byScales(11, floats(new int[] {1, 1, 2, 2}, 1, 2, 3, 4), scales(1, 1, 2, 2), M_LSD);
        assertThat(square.floats()).containsExactly(
                1.00f, 1.25f, 1.75f, 2.00f,
                1.50f, 1.75f, 2.25f, 2.50f,
                2.50f, 2.75f, 3.25f, 3.50f,
                3.00f, 3.25f, 3.75f, 4.00f);
    }

    @Property(tries = 50)
    void mLsdLinearMatchesTheBilinearFormulaRoundedOnce(@ForAll @Size(12) List<@IntRange(min = -1000, max = 1000)
            Integer> values) {
        float[] v = new float[12];
        for (int i = 0; i < v.length; i++) {
            v[i] = values.get(i) / 8f;
        }
        int h = 3;
        int w = 4;
        Tensor y = byScales(13, floats(new int[] {1, 1, h, w}, v), scales(1, 1, 2, 2), M_LSD);
        for (int i = 0; i < 2 * h; i++) {
            for (int j = 0; j < 2 * w; j++) {
                double sy = Math.clamp((i + 0.5) / 2 - 0.5, 0, h - 1);
                double sx = Math.clamp((j + 0.5) / 2 - 0.5, 0, w - 1);
                int y0 = (int) Math.floor(sy);
                int x0 = (int) Math.floor(sx);
                int y1 = Math.min(y0 + 1, h - 1);
                int x1 = Math.min(x0 + 1, w - 1);
                double fy = sy - y0;
                double fx = sx - x0;
                double expected = (1 - fy) * ((1 - fx) * v[y0 * w + x0] + fx * v[y0 * w + x1])
                        + fy * ((1 - fx) * v[y1 * w + x0] + fx * v[y1 * w + x1]);
                assertThat(y.floats()[i * 2 * w + j]).isEqualTo((float) expected);
            }
        }
    }

    @Test
    void nearestModesDecideTies() {
        // Asymmetric scale 2: x = 0, 0.5, 1, 1.5.
        Tensor x = floats(new int[] {1, 2}, 10, 20);
        Attribute asym = Attribute.of("coordinate_transformation_mode", "asymmetric");
        assertThat(byScales(13, x, scales(1, 2), asym).floats()).containsExactly(10, 10, 20, 20);
        assertThat(byScales(13, x, scales(1, 2), asym, Attribute.of("nearest_mode", "round_prefer_ceil")).floats())
                .containsExactly(10, 20, 20, 20);
        assertThat(byScales(13, x, scales(1, 2), asym, Attribute.of("nearest_mode", "ceil")).floats())
                .containsExactly(10, 20, 20, 20);
    }

    @Test
    void interpolatesOnlyTheAxesThatAreScaled() {
        // Rank 5, linear on axis 2 only: each (.., j, k) line is resized on its own.
        Tensor x = floats(new int[] {1, 1, 3, 1, 2}, 0, 8, 4, 4, 8, 0);
        Tensor y = byScales(13, x, scales(1, 1, 2, 1, 1), M_LSD);
        assertThat(y.shape()).containsExactly(1, 1, 6, 1, 2);
        assertThat(y.floats()).containsExactly(0, 8, 1, 7, 3, 5, 5, 3, 7, 1, 8, 0);
    }

    @Test
    void resize10AndUpsampleFloorWhenGrowingAndCeilWhenShrinking() {
        Tensor row = floats(new int[] {1, 4}, 1, 2, 3, 4);
        // Shrinking by 0.6: 2 outputs at x = 0 and 1.67, which reads index 2.
        assertThat(OpTestRun.op("Resize", 10).run1(row, scales(1, 0.6f)).floats()).containsExactly(1, 3);
        Tensor pair = floats(new int[] {1, 2}, 1, 2);
        assertThat(OpTestRun.op("Upsample", 9).run1(pair, scales(1, 3)).floats()).containsExactly(1, 1, 1, 2, 2, 2);
        assertThat(OpTestRun.op("Upsample", 9, Attribute.of("mode", "linear")).run1(pair, scales(1, 2)).floats())
                .containsExactly(1, 1.5f, 2, 2);
        assertThatThrownBy(() -> OpTestRun.op("Upsample", 10).run1(pair, scales(1, 2)))
                .isInstanceOf(UnsupportedModelException.class).hasMessageContaining("deprecated");
    }

    @Test
    void failsClearlyOnAbsurdOutputSizesBeforeAllocating() {
        Tensor x = floats(new int[] {1, 1, 2, 2}, 1, 2, 3, 4);
        assertThatThrownBy(() -> byScales(13, x, scales(1, 1, 1e9f, 1e9f), PP_OCR))
                .isInstanceOf(OctetException.class).hasMessageContaining("2^28");
        assertThatThrownBy(() -> OpTestRun.op("Resize", 13).run1(x, null, null,
                Tensor.int64Vector(1, 1, 100_000, 100_000))).isInstanceOf(OctetException.class)
                .hasMessageContaining("2^28");
        assertThatThrownBy(() -> byScales(13, x, scales(1, 1, 0, 2))).isInstanceOf(OctetException.class)
                .hasMessageContaining("positive");
        assertThatThrownBy(() -> OpTestRun.op("Resize", 13).run1(x, null, scales(1, 1, 2, 2),
                Tensor.int64Vector(1, 1, 4, 4))).isInstanceOf(OctetException.class)
                .hasMessageContaining("only one of scales and sizes");
    }

    @Test
    void linearOnIntegersIsUnsupportedRatherThanGuessed() {
        Tensor u8 = Tensor.ofLongs(DataType.UINT8, new int[] {1, 2}, 1, 2);
        assertThatThrownBy(() -> byScales(13, u8, scales(1, 2), M_LSD))
                .isInstanceOf(UnsupportedModelException.class).hasMessageContaining("float types");
    }

    @Test
    void inferenceKeepsSymbolicAxesThatAreNotScaled() {
        TensorType x = new TensorType(DataType.FLOAT,
                List.of(Dim.symbol("n"), Dim.of(96), Dim.symbol("h"), Dim.of(10)));
        TensorType[] types = {x, NO_ROI.type(), TensorType.of(DataType.FLOAT, 4)};
        TensorType y = OpTestRun.op("Resize", 13, PP_OCR).infer(types, null, NO_ROI, scales(1, 1, 2, 2)).get(0);
        assertThat(y.toString()).isEqualTo("f32[n,96,?,20]");
        TensorType unknownScales = OpTestRun.op("Resize", 13, PP_OCR).infer(types).get(0);
        assertThat(unknownScales.toString()).isEqualTo("f32[?,?,?,?]");
    }
}
