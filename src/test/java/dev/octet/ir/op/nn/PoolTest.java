package dev.octet.ir.op.nn;

import static dev.octet.ir.op.nn.NodeRunner.floats;
import static dev.octet.ir.op.nn.NodeRunner.ints;
import static dev.octet.ir.op.nn.NodeRunner.run;
import static dev.octet.ir.op.nn.NodeRunner.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.octet.ir.Attribute;
import dev.octet.ir.DataType;
import dev.octet.ir.Dim;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import java.util.List;
import org.junit.jupiter.api.Test;

class PoolTest {
    // 9 1 2 / 3 4 8 / 7 5 6 in channel 0, the same plus 10 in channel 1.
    private static final Tensor X = floats(new int[] {1, 2, 3, 3}, 1, 9, 2, 3, 4, 8, 7, 5, 6,
            11, 19, 12, 13, 14, 18, 17, 15, 16);

    private static List<Tensor> maxPoolWithIndices(Tensor x, Attribute... attrs) {
        return NodeRunner.runAll("MaxPool", 12, 2, List.of(x), attrs);
    }

    @Test
    void maxPoolGivesTheMaximumAndItsFlatIndexInX() {
        List<Tensor> out = maxPoolWithIndices(X, ints("kernel_shape", 2, 2));
        assertThat(values(out.get(0))).containsExactly(9, 9, 7, 8, 19, 19, 17, 18);
        // Row-major within the plane, plus the plane's offset (9 for channel 1).
        assertThat(out.get(1).longs()).containsExactly(1, 1, 6, 5, 10, 10, 15, 14);
    }

    @Test
    void storageOrderOneNumbersTheSpatialPositionsColumnMajor() {
        List<Tensor> out = maxPoolWithIndices(X, ints("kernel_shape", 2, 2), Attribute.of("storage_order", 1L));
        // (row, col) -> col·3 + row.
        assertThat(out.get(1).longs()).containsExactly(3, 3, 2, 7, 12, 12, 11, 16);
    }

    @Test
    void maxPoolTakesTheFirstOfEqualMaximaLetsNanWinAndIgnoresPadding() {
        Tensor x = floats(new int[] {1, 1, 4}, -5, -5, Double.NaN, -1);
        List<Tensor> out = maxPoolWithIndices(x, ints("kernel_shape", 2), ints("pads", 1, 0));
        assertThat(values(out.get(0))).containsExactly(-5, -5, Double.NaN, Double.NaN);
        assertThat(out.get(1).longs()).containsExactly(0, 0, 2, 2);
    }

    @Test
    void maxPoolWithDilationsAndOnIntegers() {
        Tensor x = Tensor.ofLongs(DataType.INT8, new int[] {1, 1, 5}, 1, 5, -128, 4, 127);
        Tensor y = run("MaxPool", List.of(x), ints("kernel_shape", 2), ints("dilations", 2));
        assertThat(y.dtype()).isEqualTo(DataType.INT8);
        assertThat(y.longs()).containsExactly(1, 5, 127);
    }

    @Test
    void averagePoolCountsPaddingOnlyWithCountIncludePadAndNeverTheCeilModeOverhang() {
        Tensor x = floats(new int[] {1, 1, 5}, 1, 2, 3, 4, 5);
        Attribute[] geometry = {ints("kernel_shape", 3), ints("strides", 2), ints("pads", 1, 0),
                Attribute.of("ceil_mode", 1L)};
        // Windows: {pad, 1, 2}, {2, 3, 4}, {4, 5, beyond the pads}.
        assertThat(values(run("AveragePool", List.of(x), geometry))).containsExactly(1.5, 3, 4.5);
        Attribute[] include = java.util.Arrays.copyOf(geometry, 5);
        include[4] = Attribute.of("count_include_pad", 1L);
        assertThat(values(run("AveragePool", List.of(x), include))).containsExactly(1, 3, 4.5);
    }

    @Test
    void averagePoolRoundsTheDoubleMeanOnce() {
        Tensor x = floats(new int[] {1, 1, 3}, 1, 1e-8, 1e-8);
        assertThat(run("AveragePool", List.of(x), ints("kernel_shape", 3)).floats())
                .containsExactly((float) ((1 + (double) 1e-8f + (double) 1e-8f) / 3));
    }

    @Test
    void globalPoolsReduceEachPlaneToOneValue() {
        Tensor x = floats(new int[] {1, 2, 2, 1, 2}, 1, 2, 3, 4, 5, 6, 7, 80);
        Tensor avg = run("GlobalAveragePool", List.of(x));
        assertThat(avg.shape()).containsExactly(1, 2, 1, 1, 1);
        assertThat(values(avg)).containsExactly(2.5, 24.5);
        assertThat(values(run("GlobalMaxPool", List.of(x)))).containsExactly(4, 80);
    }

    @Test
    void infersUnknownSpatialSizesAndInt64Indices() {
        TensorType x = new TensorType(DataType.FLOAT, List.of(Dim.symbol("N"), Dim.of(8), Dim.unknown(), Dim.of(9)));
        TensorType y = NodeRunner.infer("MaxPool", List.of(x), ints("kernel_shape", 3, 3), ints("strides", 2, 2),
                Attribute.of("ceil_mode", 1L));
        assertThat(y.dims()).containsExactly(Dim.symbol("N"), Dim.of(8), Dim.unknown(), Dim.of(4));
        assertThat(NodeRunner.infer("GlobalAveragePool", List.of(x)).dims())
                .containsExactly(Dim.symbol("N"), Dim.of(8), Dim.of(1), Dim.of(1));
    }

    @Test
    void refusesWhatPoolingDoesNotDefine() {
        TensorType ints = TensorType.of(DataType.INT32, 1, 1, 4, 4);
        assertThatThrownBy(() -> NodeRunner.infer("AveragePool", List.of(ints), ints("kernel_shape", 2, 2)))
                .hasMessageContaining("expected a float type");
        assertThatThrownBy(() -> NodeRunner.infer("MaxPool", List.of(ints), ints("kernel_shape", 2, 2)))
                .hasMessageContaining("int8 or uint8");
        assertThatThrownBy(() -> NodeRunner.infer("MaxPool", List.of(TensorType.of(DataType.FLOAT, 1, 4)),
                ints("kernel_shape", 2))).hasMessageContaining("rank 3 or more");
        assertThatThrownBy(() -> NodeRunner.infer("MaxPool", List.of(TensorType.of(DataType.FLOAT, 1, 1, 4)),
                ints("kernel_shape", 2), Attribute.of("storage_order", 2L))).hasMessageContaining("storage_order");
    }
}
