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
import dev.octet.ir.OctetException;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConvTest {
    // Two 3x3 channels; the 2x2 windows of A sum along the diagonal to 6 8 12 14 and in full to 12 16 24 28, the
    // windows of B to 4 0 0 8 along the diagonal and to 4 5 7 8 in full.
    private static final double[] A = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    private static final double[] B = {1, 0, 2, 0, 3, 0, 4, 0, 5};
    private static final double[] DIAG = {1, 0, 0, 1};
    private static final double[] ONES = {1, 1, 1, 1};

    private static double[] concat(double[]... parts) {
        return Arrays.stream(parts).flatMapToDouble(Arrays::stream).toArray();
    }

    @Test
    void denseConvolutionSumsOverAllInputChannelsPlusBias() {
        Tensor x = floats(new int[] {1, 2, 3, 3}, concat(A, B));
        Tensor w = floats(new int[] {1, 2, 2, 2}, concat(DIAG, ONES));
        Tensor y = run("Conv", List.of(x, w, floats(new int[] {1}, 0.5)));
        assertThat(y.shape()).containsExactly(1, 1, 2, 2);
        assertThat(values(y)).containsExactly(6 + 4 + 0.5, 8 + 5 + 0.5, 12 + 7 + 0.5, 14 + 8 + 0.5);
    }

    @Test
    void groupedConvolutionSumsOnlyWithinEachGroup() {
        Tensor x = floats(new int[] {1, 4, 3, 3}, concat(A, B, A, B));
        Tensor w = floats(new int[] {2, 2, 2, 2}, concat(DIAG, ONES, ONES, DIAG));
        Tensor y = run("Conv", List.of(x, w), Attribute.of("group", 2L));
        assertThat(values(y)).containsExactly(6 + 4, 8 + 5, 12 + 7, 14 + 8, 12 + 4, 16 + 0, 24 + 0, 28 + 8);
    }

    @Test
    void depthwiseConvolutionWithAChannelMultiplierFiltersEachChannelAlone() {
        Tensor x = floats(new int[] {1, 2, 3, 3}, concat(A, B));
        Tensor w = floats(new int[] {4, 1, 2, 2}, concat(DIAG, ONES, ONES, DIAG));
        Tensor y = run("Conv", List.of(x, w), Attribute.of("group", 2L));
        assertThat(y.shape()).containsExactly(1, 4, 2, 2);
        assertThat(values(y)).containsExactly(6, 8, 12, 14, 12, 16, 24, 28, 4, 5, 7, 8, 4, 0, 0, 8);
    }

    @Test
    void batchesAreIndependent() {
        double[] twice = Arrays.stream(concat(A, B)).map(v -> 2 * v).toArray();
        Tensor x = floats(new int[] {2, 2, 3, 3}, concat(A, B, twice));
        Tensor w = floats(new int[] {1, 2, 2, 2}, concat(DIAG, ONES));
        Tensor y = run("Conv", List.of(x, w, floats(new int[] {1}, 1)));
        assertThat(values(y)).containsExactly(11, 14, 20, 23, 21, 27, 39, 45);
    }

    @Test
    void stridesPadsAndDilationsIn1dAnd3d() {
        Tensor x = floats(new int[] {1, 1, 5}, 1, 2, 3, 4, 5);
        // Windows [0 1 2], [2 3 4], [4 5 0] weighted 1 2 1.
        assertThat(values(run("Conv", List.of(x, floats(new int[] {1, 1, 3}, 1, 2, 1)), ints("pads", 1, 1),
                ints("strides", 2)))).containsExactly(4, 12, 14);
        // Dilation 3: x[i] + x[i + 3].
        assertThat(values(run("Conv", List.of(x, floats(new int[] {1, 1, 2}, 1, 1)), ints("dilations", 3))))
                .containsExactly(5, 7);
        Tensor cube = floats(new int[] {1, 1, 2, 2, 2}, 1, 2, 3, 4, 5, 6, 7, 8);
        Tensor y = run("Conv", List.of(cube, floats(new int[] {1, 1, 2, 2, 2}, 1, 1, 1, 1, 1, 1, 1, 1)),
                ints("pads", 0, 0, 0, 0, 0, 1));
        assertThat(y.shape()).containsExactly(1, 1, 1, 1, 2);
        assertThat(values(y)).containsExactly(36, 2 + 4 + 6 + 8);
    }

    @Test
    void roundsTheDoubleSumOnceToTheElementType() {
        // 1 + 2^-11 + 2^-11 is exactly representable in fp16 only as a whole: summing in fp16 would give 1.
        float tiny = (float) Math.pow(2, -11);
        Tensor x = Tensor.of(DataType.FLOAT16, new int[] {1, 3, 1}, new float[] {1, tiny, tiny});
        Tensor w = Tensor.of(DataType.FLOAT16, new int[] {1, 3, 1}, new float[] {1, 1, 1});
        Tensor y = run("Conv", List.of(x, w));
        assertThat(y.dtype()).isEqualTo(DataType.FLOAT16);
        assertThat(y.floats()).containsExactly(1 + 2 * tiny);
        Tensor xd = Tensor.of(DataType.DOUBLE, new int[] {1, 1, 2}, new double[] {0.1, 0.2});
        Tensor wd = Tensor.of(DataType.DOUBLE, new int[] {1, 1, 2}, new double[] {1, 1});
        assertThat(run("Conv", List.of(xd, wd)).doubles()).containsExactly(0.1 + 0.2);
    }

    @Test
    void infersShapesWithSymbolicAndUnknownDims() {
        TensorType x = new TensorType(DataType.FLOAT, List.of(Dim.symbol("N"), Dim.of(3), Dim.unknown(), Dim.of(32)));
        TensorType w = TensorType.of(DataType.FLOAT, 8, 3, 3, 3);
        TensorType y = NodeRunner.infer("Conv", List.of(x, w), ints("pads", 1, 1, 1, 1), ints("strides", 2, 2));
        assertThat(y.dims()).containsExactly(Dim.symbol("N"), Dim.of(8), Dim.unknown(), Dim.of(16));
    }

    @Test
    void refusesOperandsThatDoNotFit() {
        TensorType x = TensorType.of(DataType.FLOAT, 1, 4, 8, 8);
        assertThatThrownBy(() -> NodeRunner.infer("Conv", List.of(x, TensorType.of(DataType.FLOAT, 2, 3, 3, 3))))
                .isInstanceOf(OctetException.class).hasMessageContaining("X has 4 channels but W expects 3");
        assertThatThrownBy(() -> NodeRunner.infer("Conv", List.of(x, TensorType.of(DataType.FLOAT, 3, 2, 3, 3)),
                Attribute.of("group", 2L))).hasMessageContaining("not a multiple of group 2");
        assertThatThrownBy(() -> NodeRunner.infer("Conv", List.of(x, TensorType.of(DataType.FLOAT, 2, 4, 3))))
                .hasMessageContaining("must have the rank of X");
        assertThatThrownBy(() -> NodeRunner.infer("Conv", List.of(TensorType.of(DataType.INT32, 1, 4, 8, 8),
                TensorType.of(DataType.INT32, 2, 4, 3, 3)))).hasMessageContaining("expected a float type");
        assertThatThrownBy(() -> run("Conv", List.of(floats(new int[] {1, 1, 3}, 1, 2, 3),
                floats(new int[] {2, 1, 1}, 1, 1), floats(new int[] {3}, 0, 0, 0))))
                .hasMessageContaining("one value per output channel (2), got f32[3]");
    }
}
