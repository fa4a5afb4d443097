package dev.octet.ir.op.nn;

import static dev.octet.ir.op.nn.NodeRunner.floats;
import static dev.octet.ir.op.nn.NodeRunner.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.octet.ir.Attribute;
import dev.octet.ir.Tensor;
import dev.octet.ir.UnsupportedModelException;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchNormalizationTest {
    private static final Tensor X = floats(new int[] {2, 2, 2}, 1, 3, 10, 20, 5, 7, 30, 40);
    private static final Tensor SCALE = floats(new int[] {2}, 2, 0.5);
    private static final Tensor BIAS = floats(new int[] {2}, 1, -1);
    private static final Tensor MEAN = floats(new int[] {2}, 3, 20);
    private static final Tensor VAR = floats(new int[] {2}, 4, 100);

    @Test
    void normalizesEachChannelWithTheGivenStatistics() {
        Tensor y = NodeRunner.run("BatchNormalization", List.of(X, SCALE, BIAS, MEAN, VAR),
                Attribute.of("epsilon", 0f));
        // Channel 0: (x − 3) / 2 · 2 + 1; channel 1: (x − 20) / 10 · 0.5 − 1.
        assertThat(values(y)).containsExactly(-1, 1, -1.5, -1, 3, 5, -0.5, 0);
    }

    @Test
    void trainingModeUsesTheBatchStatisticsAndUpdatesTheRunningOnes() {
        List<Tensor> out = NodeRunner.runAll("BatchNormalization", 15, 3, List.of(X, SCALE, BIAS, MEAN, VAR),
                Attribute.of("training_mode", 1L), Attribute.of("epsilon", 0f), Attribute.of("momentum", 0.5f));
        // Channel 0 holds 1 3 5 7: mean 4, population variance 5; channel 1 holds 10 20 30 40: mean 25, var 125.
        assertThat(values(out.get(1))).containsExactly(3.5, 22.5);
        assertThat(values(out.get(2))).containsExactly(4.5, 112.5);
        assertThat(values(out.get(0))[0]).isCloseTo((1 - 4) / Math.sqrt(5) * 2 + 1, within(1e-6));
    }

    @Test
    void refusesTrainingOutputsItDoesNotImplement() {
        assertThatThrownBy(() -> NodeRunner.runAll("BatchNormalization", 9, 5, List.of(X, SCALE, BIAS, MEAN, VAR)))
                .isInstanceOf(UnsupportedModelException.class).hasMessageContaining("before opset 14");
        assertThatThrownBy(() -> NodeRunner.runAll("BatchNormalization", 15, 3, List.of(X, SCALE, BIAS, MEAN, VAR)))
                .hasMessageContaining("only with training_mode = 1");
        assertThatThrownBy(() -> NodeRunner.run("BatchNormalization", List.of(X, floats(new int[] {3}, 1, 1, 1),
                BIAS, MEAN, VAR))).hasMessageContaining("scale must be a vector of one value per channel (2)");
    }
}
