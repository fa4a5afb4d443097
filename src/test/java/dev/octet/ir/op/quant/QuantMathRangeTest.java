package dev.octet.ir.op.quant;

import static org.assertj.core.api.Assertions.assertThat;

import dev.octet.ir.DataType;
import org.junit.jupiter.api.Test;

class QuantMathRangeTest {
    @Test
    void aNonNegativeRangeHasTheTypesMinimumAsZeroPoint() {
        QuantMath.ScaleAndZeroPoint u8 = QuantMath.fromRange(0.5f, 6f, DataType.UINT8);
        assertThat(u8.scale()).isEqualTo(6f / 255f);
        assertThat(u8.zeroPoint()).isZero();
        QuantMath.ScaleAndZeroPoint s8 = QuantMath.fromRange(0.5f, 6f, DataType.INT8);
        assertThat(s8.scale()).isEqualTo(6f / 255f);
        assertThat(s8.zeroPoint()).isEqualTo(-128);
    }

    @Test
    void zeroIsExactlyRepresentable() {
        for (DataType t : new DataType[] {DataType.UINT8, DataType.INT8}) {
            QuantMath.ScaleAndZeroPoint p = QuantMath.fromRange(-1.3f, 2.9f, t);
            assertThat(p.scale()).isEqualTo((2.9f - -1.3f) / 255f);
            assertThat(QuantMath.dequantize(QuantMath.quantize(0f, p.scale(), p.zeroPoint(), t), p.zeroPoint(),
                    p.scale())).isZero();
        }
        assertThat(QuantMath.fromRange(-4f, -1f, DataType.UINT8).zeroPoint()).isEqualTo(255);
    }

    @Test
    void anEmptyRangeHasScaleOne() {
        assertThat(QuantMath.fromRange(0f, 0f, DataType.UINT8)).isEqualTo(new QuantMath.ScaleAndZeroPoint(1f, 0));
        assertThat(QuantMath.fromRange(0f, 0f, DataType.INT8)).isEqualTo(new QuantMath.ScaleAndZeroPoint(1f, -128));
    }

    @Test
    void weightScaleIsMaxOverQmaxAndNeverZero() {
        assertThat(QuantMath.weightScale(2.54f, 127)).isEqualTo(2.54f / 127);
        assertThat(QuantMath.weightScale(2.54f, 63)).isEqualTo(2.54f / 63);
        assertThat(QuantMath.weightScale(0f, 127)).isEqualTo(1f / 127);
    }
}
