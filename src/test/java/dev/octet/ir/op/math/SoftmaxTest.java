package dev.octet.ir.op.math;

import static dev.octet.ir.op.math.NodeRunner.floats;
import static dev.octet.ir.op.math.NodeRunner.run;
import static dev.octet.ir.op.math.NodeRunner.shape;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.octet.ir.Attribute;
import dev.octet.ir.OctetException;
import dev.octet.ir.Tensor;
import org.junit.jupiter.api.Test;

class SoftmaxTest {
    private static final Tensor X = floats(shape(2, 2, 2), 0, 1, 2, 3, 4, 5, 6, 7);

    @Test
    void beforeOpset13NormalisesTheInputFlattenedToTwoDimensionsAtAxis() {
        Tensor y = run(11, "Softmax", X); // axis 1: rows of 4
        double sum = Math.exp(0) + Math.exp(1) + Math.exp(2) + Math.exp(3);
        assertThat(y.floats()[0]).isEqualTo((float) (1 / sum));
        assertThat(y.floats()[7]).isEqualTo((float) (Math.exp(3) / sum));
        assertThat(y.floats()[0] + y.floats()[1] + y.floats()[2] + y.floats()[3]).isCloseTo(1f, within(1e-6f));
    }

    @Test
    void fromOpset13NormalisesAlongTheAxisOnly() {
        Tensor y = run(13, "Softmax", X, Attribute.of("axis", 1L)); // pairs (0,2), (1,3), (4,6), (5,7)
        float small = (float) (1 / (1 + Math.exp(2)));
        assertThat(y.floats()).containsExactly(small, small, 1 - small, 1 - small, small, small, 1 - small,
                1 - small);
        Tensor last = run(13, "Softmax", X); // default axis -1: pairs (0,1), (2,3)...
        float s1 = (float) (1 / (1 + Math.exp(1)));
        assertThat(last.floats()[0]).isEqualTo(s1);
        assertThat(last.floats()[1]).isEqualTo((float) (Math.exp(1) / (1 + Math.exp(1))));
    }

    @Test
    void largeInputsDoNotOverflowAndLogSoftmaxIsItsLogarithm() {
        Tensor big = floats(shape(1, 3), 10000, 10001, 10002);
        Tensor y = run(13, "Softmax", big);
        assertThat(y.floats()).doesNotContain(Float.NaN);
        assertThat(y.floats()[2]).isCloseTo(0.66524096f, within(1e-7f));
        Tensor logY = run(13, "LogSoftmax", big);
        for (int i = 0; i < 3; i++) {
            assertThat(logY.floats()[i]).isCloseTo((float) Math.log(y.floats()[i]), within(1e-6f));
        }
    }

    @Test
    void rejectsAnAxisOutOfRange() {
        assertThatThrownBy(() -> run(13, "Softmax", X, Attribute.of("axis", 3L)))
                .isInstanceOf(OctetException.class).hasMessageContaining("axis 3 is out of range for rank 3");
    }
}
