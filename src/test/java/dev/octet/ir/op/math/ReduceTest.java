package dev.octet.ir.op.math;

import static dev.octet.ir.op.math.NodeRunner.floats;
import static dev.octet.ir.op.math.NodeRunner.infer;
import static dev.octet.ir.op.math.NodeRunner.run;
import static dev.octet.ir.op.math.NodeRunner.shape;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.octet.ir.Attribute;
import dev.octet.ir.DataType;
import dev.octet.ir.Dim;
import dev.octet.ir.OctetException;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReduceTest {
    private static final Tensor X = floats(shape(2, 3), 1, 2, 3, 4, 5, 6);

    @Test
    void reduceMeanOverAxesKeepsDimsByDefault() {
        Tensor rows = run(13, "ReduceMean", X, Attribute.of("axes", new long[] {1}));
        assertThat(rows.shape()).containsExactly(2, 1);
        assertThat(rows.floats()).containsExactly(2, 5);
        Tensor cols = run(13, "ReduceMean", X, Attribute.of("axes", new long[] {-2}),
                Attribute.of("keepdims", 0L));
        assertThat(cols.shape()).containsExactly(3);
        assertThat(cols.floats()).containsExactly(2.5f, 3.5f, 4.5f);
    }

    @Test
    void reduceMeanWithoutAxesReducesEverything() {
        Tensor all = run(9, "ReduceMean", X);
        assertThat(all.shape()).containsExactly(1, 1);
        assertThat(all.floats()).containsExactly(3.5f);
        assertThat(run(9, "ReduceMean", X, Attribute.of("keepdims", 0L)).shape()).isEmpty();
    }

    @Test
    void reduceMeanAccumulatesInDoubleAndTruncatesIntegers() {
        // In float, 2^24 + 1 + 1 would lose both ones.
        Tensor f = floats(shape(3), 1 << 24, 1, 1);
        assertThat(run(13, "ReduceMean", f).floats()).containsExactly((float) ((Math.pow(2, 24) + 2) / 3));
        Tensor ints = Tensor.ofLongs(DataType.INT32, shape(2), -3, -4);
        assertThat(run(13, "ReduceMean", ints).longs()).containsExactly(-3);
    }

    @Test
    void rejectsRepeatedOrOutOfRangeAxes() {
        assertThatThrownBy(() -> run(13, "ReduceMean", X, Attribute.of("axes", new long[] {1, -1})))
                .isInstanceOf(OctetException.class).hasMessageContaining("given twice");
        assertThatThrownBy(() -> run(13, "ReduceMean", X, Attribute.of("axes", new long[] {2})))
                .isInstanceOf(OctetException.class).hasMessageContaining("out of range");
    }

    @Test
    void infersWithSymbolicDimensions() {
        TensorType t = new TensorType(DataType.FLOAT, List.of(Dim.symbol("N"), Dim.of(3), Dim.symbol("W")));
        TensorType reduced = infer(13, "ReduceMean", List.of(t), Attribute.of("axes", new long[] {2}),
                Attribute.of("keepdims", 0L));
        assertThat(reduced.dims()).containsExactly(Dim.symbol("N"), Dim.of(3));
    }

    @Test
    void reduceSumTakesAxesAsAnAttributeBeforeOpset13AndAsAnInputFrom13() {
        assertThat(run(11, "ReduceSum", X, Attribute.of("axes", new long[] {0})).floats()).containsExactly(5, 7, 9);
        Tensor axes = Tensor.int64Vector(1);
        Tensor rows = run(13, "ReduceSum", Arrays.asList(X, axes), Attribute.of("keepdims", 0L));
        assertThat(rows.shape()).containsExactly(2);
        assertThat(rows.floats()).containsExactly(6, 15);
        assertThat(run(13, "ReduceSum", Arrays.asList(X)).floats()).containsExactly(21);
        Tensor none = Tensor.int64Vector();
        assertThat(run(13, "ReduceSum", Arrays.asList(X, none), Attribute.of("noop_with_empty_axes", 1L))
                .sameAs(X)).isTrue();
    }

    @Test
    void reduceSumWithAxesUnknownBeforeRunningKnowsOnlyTheRank() {
        TensorType x = TensorType.of(DataType.FLOAT, 2, 3, 4);
        TensorType twoAxes = TensorType.of(DataType.INT64, 2);
        assertThat(infer(13, "ReduceSum", List.of(x, twoAxes), Attribute.of("keepdims", 0L)).dims())
                .containsExactly(Dim.unknown());
        assertThat(infer(13, "ReduceSum", List.of(x, twoAxes)).dims())
                .containsExactly(Dim.unknown(), Dim.unknown(), Dim.unknown());
    }

    @Test
    void reduceMaxIsExactOnIntegersAndGivesTheIdentityForNoValues() {
        Tensor ints = Tensor.ofLongs(DataType.INT64, shape(2, 2), Long.MAX_VALUE, 1, -4, -2);
        assertThat(run(13, "ReduceMax", ints, Attribute.of("axes", new long[] {1})).longs())
                .containsExactly(Long.MAX_VALUE, -2);
        Tensor empty = floats(shape(2, 0));
        Tensor max = run(13, "ReduceMax", empty, Attribute.of("axes", new long[] {1}));
        assertThat(max.floats()).containsExactly(Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY);
    }
}
