package dev.octet.ir.op.quant;

import static org.assertj.core.api.Assertions.assertThat;

import dev.octet.ir.DataType;
import dev.octet.ir.Tensor;
import dev.octet.ir.op.OpTestRun;
import java.util.List;
import org.junit.jupiter.api.Test;

class DynamicQuantizeLinearTest {
    private static List<Tensor> run(float... x) {
        return OpTestRun.op("DynamicQuantizeLinear", 11).outputs(3).run(Tensor.ofFloats(new int[] {x.length}, x));
    }

    @Test
    void extendsTheRangeToIncludeZero() {
        List<Tensor> out = run(1, 2, 3);
        assertThat(out.get(1).floats()[0]).isEqualTo(3f / 255f);
        assertThat(out.get(2).dtype()).isEqualTo(DataType.UINT8);
        assertThat(out.get(2).longs()).containsExactly(0);
        assertThat(out.get(0).longs()).containsExactly(85, 170, 255);
    }

    @Test
    void roundsTheZeroPointHalfToEven() {
        // Range [-2.5, 252.5] is 255 wide: scale 1, zero point rne(2.5) = 2 (half-up would give 3).
        List<Tensor> even = run(-2.5f, 252.5f);
        assertThat(even.get(1).floats()[0]).isEqualTo(1f);
        assertThat(even.get(2).longs()).containsExactly(2);
        assertThat(even.get(0).longs()).containsExactly(0, 254);
        // Range [-3.5, 251.5]: zero point rne(3.5) = 4; 251.5 rounds to 252, + 4 saturates to 255.
        List<Tensor> odd = run(-3.5f, 251.5f);
        assertThat(odd.get(2).longs()).containsExactly(4);
        assertThat(odd.get(0).longs()).containsExactly(0, 255);
    }

    @Test
    void anAllZeroTensorHasScaleOneNotADivisionByZero() {
        List<Tensor> out = run(0, 0);
        assertThat(out.get(1).floats()[0]).isEqualTo(1f);
        assertThat(out.get(2).longs()).containsExactly(0);
        assertThat(out.get(0).longs()).containsExactly(0, 0);
    }

    @Test
    void matchesQuantMathsFormula() {
        QuantMath.ScaleAndZeroPoint p = QuantMath.dynamicUint8(-1f, 4f);
        assertThat(p.scale()).isEqualTo(5f / 255f);
        assertThat(p.zeroPoint()).isEqualTo((long) Math.rint(0f - -1f / (5f / 255f)));
    }
}
