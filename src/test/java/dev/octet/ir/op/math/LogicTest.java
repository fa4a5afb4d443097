package dev.octet.ir.op.math;

import static dev.octet.ir.op.math.NodeRunner.floats;
import static dev.octet.ir.op.math.NodeRunner.run;
import static dev.octet.ir.op.math.NodeRunner.shape;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.octet.ir.DataType;
import dev.octet.ir.OctetException;
import dev.octet.ir.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogicTest {
    private static final Tensor A = floats(shape(4), 1, 2, 3, Float.NaN);
    private static final Tensor TWO = Tensor.ofFloats(shape(), 2);

    @Test
    void comparisonsBroadcastAndAreFalseForNan() {
        assertThat(run(13, "Greater", A, TWO).booleans()).containsExactly(false, false, true, false);
        assertThat(run(13, "Less", A, TWO).booleans()).containsExactly(true, false, false, false);
        assertThat(run(16, "GreaterOrEqual", A, TWO).booleans()).containsExactly(false, true, true, false);
        assertThat(run(16, "LessOrEqual", A, TWO).booleans()).containsExactly(true, true, false, false);
        Tensor big = Tensor.ofLongs(DataType.INT64, shape(2), Long.MAX_VALUE, Long.MAX_VALUE - 1);
        Tensor limit = Tensor.ofLongs(DataType.INT64, shape(1), Long.MAX_VALUE - 1);
        assertThat(run(13, "Greater", big, limit).booleans()).containsExactly(true, false);
    }

    @Test
    void notNegatesBooleansOnly() {
        assertThat(run(9, "Not", Tensor.ofBooleans(shape(2), true, false)).booleans()).containsExactly(false, true);
        assertThatThrownBy(() -> run(9, "Not", A)).isInstanceOf(OctetException.class)
                .hasMessageContaining("input is f32");
    }

    @Test
    void whereBroadcastsConditionAndBothBranchesForAnyType() {
        Tensor cond = Tensor.ofBooleans(shape(2, 1), true, false);
        Tensor y = run(16, "Where", List.of(cond, floats(shape(3), 1, 2, 3), Tensor.ofFloats(shape(), -1)));
        assertThat(y.shape()).containsExactly(2, 3);
        assertThat(y.floats()).containsExactly(1, 2, 3, -1, -1, -1);
        Tensor s = run(16, "Where", List.of(Tensor.ofBooleans(shape(2), false, true),
                Tensor.of(DataType.STRING, shape(2), new String[] {"a", "b"}),
                Tensor.of(DataType.STRING, shape(1), new String[] {"z"})));
        assertThat(s.strings()).containsExactly("z", "b");
        assertThatThrownBy(() -> run(16, "Where", List.of(A, A, A))).isInstanceOf(OctetException.class)
                .hasMessageContaining("condition is f32");
    }
}
