package dev.octet.ir.op.tensor;

import static dev.octet.ir.op.tensor.OpHarness.f32;
import static dev.octet.ir.op.tensor.OpHarness.i64;
import static dev.octet.ir.op.tensor.OpHarness.ints;
import static dev.octet.ir.op.tensor.OpHarness.iota;
import static dev.octet.ir.op.tensor.OpHarness.longs;
import static dev.octet.ir.op.tensor.OpHarness.op;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.octet.ir.Attribute;
import dev.octet.ir.DataType;
import dev.octet.ir.Node;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.op.InferenceContext;
import dev.octet.ir.op.OperatorRegistry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShapeTest {
    private static List<Tensor> constantOutputs(String opType, int opset, TensorType in, Attribute... attrs) {
        Node node = Node.of("n", opType, List.of("x"), List.of("y"), attrs);
        List<Tensor> none = new ArrayList<>();
        none.add(null);
        return OperatorRegistry.forNode(node).constantOutputs(new InferenceContext(node, opset, List.of(in), none));
    }

    @Test
    void shapeGivesTheDimensionsAsInt64() {
        Tensor s = op("Shape", 13).run1(iota(2, 3, 4));
        assertThat(s.dtype()).isEqualTo(DataType.INT64);
        assertThat(s.longs()).containsExactly(2, 3, 4);
    }

    @Test
    void fromOpset15StartAndEndPickAClampedRange() {
        var shape = op("Shape", 15).attr(Attribute.of("start", -2L));
        assertThat(shape.run1(iota(2, 3, 4)).longs()).containsExactly(3, 4);
        assertThat(op("Shape", 15).attr(Attribute.of("start", 1L)).attr(Attribute.of("end", -1L))
                .run1(iota(2, 3, 4)).longs()).containsExactly(3);
        assertThat(op("Shape", 15).attr(Attribute.of("start", -10L)).attr(Attribute.of("end", 10L))
                .run1(iota(2, 3)).longs()).containsExactly(2, 3);
        assertThat(op("Shape", 15).attr(Attribute.of("start", 2L)).attr(Attribute.of("end", 1L))
                .run1(iota(2, 3)).shape()).containsExactly(0);
        // Before opset 15 the attributes do not exist.
        assertThat(op("Shape", 13).attr(Attribute.of("start", 1L)).run1(iota(2, 3)).longs()).containsExactly(2, 3);
    }

    @Test
    void shapeIsAConstantOnlyWhereTheDimensionsItReadsAreStatic() {
        assertThat(constantOutputs("Shape", 13, f32(1, 3, 8)).get(0).longs()).containsExactly(1, 3, 8);
        assertThat(constantOutputs("Shape", 13, f32("N", 3, 8))).isNull();
        assertThat(constantOutputs("Shape", 15, f32("N", 3, 8), Attribute.of("start", 1L)).get(0).longs())
                .containsExactly(3, 8);
        assertThat(op("Shape", 13).infer1(List.of(f32("N", 3, 8)))).hasToString("i64[3]");
    }

    @Test
    void sizeCountsTheElements() {
        Tensor n = op("Size", 13).run1(iota(2, 3, 4));
        assertThat(n.shape()).isEmpty();
        assertThat(n.longs()).containsExactly(24);
        assertThat(constantOutputs("Size", 13, f32(2, 5)).get(0).longs()).containsExactly(10);
        assertThat(constantOutputs("Size", 13, f32("N", 5))).isNull();
    }

    @Test
    void constantOfShapeFillsWithTheValueAttributeOrFloatZero() {
        Tensor zeros = op("ConstantOfShape", 9).run1(ints(2, 3));
        assertThat(zeros.dtype()).isEqualTo(DataType.FLOAT);
        assertThat(zeros.floats()).containsOnly(0f).hasSize(6);
        Tensor sevens = op("ConstantOfShape", 9)
                .attr(Attribute.of("value", longs(DataType.INT32, new int[] {1}, 7))).run1(ints(4));
        assertThat(sevens.dtype()).isEqualTo(DataType.INT32);
        assertThat(sevens.longs()).containsExactly(7, 7, 7, 7);
        assertThat(op("ConstantOfShape", 9).run1(ints()).shape()).isEmpty();
        assertThat(op("ConstantOfShape", 9).infer1(List.of(i64(3)))).hasToString("f32[?,?,?]");
    }

    @Test
    void rangeCountsCeilOfSpanOverDelta() {
        Tensor f = op("Range", 11).run1(scalar(DataType.FLOAT, 1), scalar(DataType.FLOAT, 2), scalar(DataType.FLOAT, .25));
        assertThat(f.floats()).containsExactly(1f, 1.25f, 1.5f, 1.75f);
        Tensor down = op("Range", 11).run1(longs(DataType.INT32, new int[0], 10), longs(DataType.INT32, new int[0], 4),
                longs(DataType.INT32, new int[0], -3));
        assertThat(down.longs()).containsExactly(10, 7);
        Tensor none = op("Range", 11).run1(longs(DataType.INT64, new int[0], 5), longs(DataType.INT64, new int[0], 4),
                longs(DataType.INT64, new int[0], 1));
        assertThat(none.shape()).containsExactly(0);
        Tensor extremes = op("Range", 11).run1(longs(DataType.INT64, new int[0], Long.MIN_VALUE),
                longs(DataType.INT64, new int[0], Long.MAX_VALUE), longs(DataType.INT64, new int[0], Long.MAX_VALUE));
        assertThat(extremes.longs()).containsExactly(Long.MIN_VALUE, -1, Long.MAX_VALUE - 1);
        assertThatThrownBy(() -> op("Range", 11).run1(longs(DataType.INT64, new int[0], 0),
                longs(DataType.INT64, new int[0], Long.MAX_VALUE), longs(DataType.INT64, new int[0], 1)))
                .hasMessageContaining("too many values");
    }

    private static Tensor scalar(DataType dtype, double v) {
        return Tensor.ofDoubles(dtype, new int[0], new double[] {v});
    }
}
