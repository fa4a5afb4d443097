package dev.octet.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.octet.ir.DataType;
import dev.octet.ir.Tensor;
import org.junit.jupiter.api.Test;

class AgreementTest {
    private static Tensor f(float... v) {
        return Tensor.ofFloats(new int[] {v.length}, v);
    }

    @Test
    void measuresTheErrorAgainstTheOraclesMagnitude() {
        Agreement a = Agreement.of("y", f(100f, 0.5f), f(100f, 0.509f), 1e-4);
        assertThat(a.maxAbs()).isCloseTo(0.009, org.assertj.core.api.Assertions.within(1e-6));
        assertThat(a.maxRel()).isCloseTo(0.009 / 100, org.assertj.core.api.Assertions.within(1e-8));
        assertThat(a.agree()).isTrue();
        Agreement b = Agreement.of("y", f(1f, 0.5f), f(1f, 0.509f), 1e-4);
        assertThat(b.agree()).isFalse();
        assertThat(b.detail()).contains("exceeds");
    }

    @Test
    void allZeroOutputsAgreeAndAnyDifferenceFromZeroDoesNot() {
        assertThat(Agreement.of("y", f(0, 0), f(0, 0), 1e-4).agree()).isTrue();
        assertThat(Agreement.of("y", f(0, 1e-20f), f(0, 0), 1e-4).agree()).isFalse();
    }

    @Test
    void nanMustBeWhereTheOracleHasNan() {
        assertThat(Agreement.of("y", f(Float.NaN, 1), f(Float.NaN, 1), 1e-4).agree()).isTrue();
        Agreement a = Agreement.of("y", f(Float.NaN, 1), f(0, 1), 1e-4);
        assertThat(a.agree()).isFalse();
        assertThat(a.detail()).contains("NaN");
    }

    @Test
    void integersMustBeIdenticalAndShapesAndTypesMustMatch() {
        Tensor i = Tensor.ofLongs(DataType.INT64, new int[] {2}, 1000000, 5);
        assertThat(Agreement.of("i", i, Tensor.ofLongs(DataType.INT64, new int[] {2}, 1000000, 6), 1e-4).agree())
                .isFalse();
        assertThat(Agreement.of("i", i, i, 1e-4).agree()).isTrue();
        assertThat(Agreement.of("y", f(1, 2), f(1, 2).reshape(2, 1), 1e-4).detail()).contains("f32[2]", "f32[2,1]");
        assertThat(Agreement.of("y", null, f(1), 1e-4).agree()).isFalse();
    }
}
