package dev.octet.ir.op.nn;

import static dev.octet.ir.op.nn.NodeRunner.floats;
import static dev.octet.ir.op.nn.NodeRunner.run;
import static dev.octet.ir.op.nn.NodeRunner.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.octet.ir.Attribute;
import dev.octet.ir.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class NormalizationTest {
    @Test
    void instanceNormalizationUsesEachPlanesOwnMeanAndVariance() {
        // Channel planes 1 3 (mean 2, variance 1) and 10 30 (mean 20, variance 100).
        Tensor x = floats(new int[] {1, 2, 2}, 1, 3, 10, 30);
        Tensor y = run("InstanceNormalization", List.of(x, floats(new int[] {2}, 2, 3), floats(new int[] {2}, 1, 0)),
                Attribute.of("epsilon", 0f));
        assertThat(values(y)).containsExactly(-1, 3, -3, 3);
    }

    @Test
    void lpNormalizationDividesByTheNormAlongTheAxis() {
        Tensor x = floats(new int[] {2, 2}, 3, 4, 0, 0);
        assertThat(run("LpNormalization", List.of(x)).floats()).containsExactly(0.6f, 0.8f, 0, 0);
        assertThat(run("LpNormalization", List.of(x), Attribute.of("p", 1L)).floats())
                .containsExactly(3 / 7f, 4 / 7f, 0, 0);
        assertThat(values(run("LpNormalization", List.of(x), Attribute.of("axis", 0L)))).containsExactly(1, 1, 0, 0);
        assertThatThrownBy(() -> run("LpNormalization", List.of(x), Attribute.of("p", 3L)))
                .hasMessageContaining("'p' is 3");
        assertThatThrownBy(() -> run("LpNormalization", List.of(x), Attribute.of("axis", 2L)))
                .hasMessageContaining("'axis' 2 is out of range");
    }
}
