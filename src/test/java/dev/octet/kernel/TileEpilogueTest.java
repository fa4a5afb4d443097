package dev.octet.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.octet.ir.op.nn.EpilogueStep;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which epilogues the AVX-512 tile applies in registers: only orders whose fp32 steps it computes identically. */
class TileEpilogueTest {
    private static TileEpilogue of(EpilogueStep... steps) {
        return TileEpilogue.of(new Epilogue(List.of(steps)));
    }

    @Test
    void biasResidualAndOneClampInThatOrderAreFused() {
        assertThat(of(EpilogueStep.BIAS)).isEqualTo(new TileEpilogue(TileEpilogue.BIAS, 0, 0));
        assertThat(of(EpilogueStep.BIAS, EpilogueStep.RESIDUAL, EpilogueStep.RELU)).isEqualTo(new TileEpilogue(
                TileEpilogue.BIAS | TileEpilogue.RESIDUAL | TileEpilogue.MAX, 0, 0));
        assertThat(of(EpilogueStep.RESIDUAL, EpilogueStep.clip(-1, 6))).isEqualTo(new TileEpilogue(
                TileEpilogue.RESIDUAL | TileEpilogue.MAX | TileEpilogue.MIN, -1, 6));
    }

    @Test
    void otherOrdersAndStepsStayASeparatePass() {
        assertThat(of()).isNull();
        assertThat(of(EpilogueStep.RESIDUAL, EpilogueStep.BIAS)).isNull(); // (v + r) + b rounds differently
        assertThat(of(EpilogueStep.BIAS, EpilogueStep.RELU, EpilogueStep.RESIDUAL)).isNull();
        assertThat(of(EpilogueStep.RELU, EpilogueStep.RELU)).isNull();
        assertThat(of(EpilogueStep.BIAS, EpilogueStep.HARDSWISH)).isNull();
        assertThat(of(EpilogueStep.BIAS, EpilogueStep.hardSigmoid(0.2f, 0.5f))).isNull();
    }
}
