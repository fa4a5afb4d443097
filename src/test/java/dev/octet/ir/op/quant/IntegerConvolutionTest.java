package dev.octet.ir.op.quant;

import static dev.octet.ir.op.nn.NodeRunner.ints;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.octet.ir.Attribute;
import dev.octet.ir.DataType;
import dev.octet.ir.Shapes;
import dev.octet.ir.Tensor;
import dev.octet.ir.op.nn.NodeRunner;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class IntegerConvolutionTest {
    private static Tensor random(Random r, DataType t, int... shape) {
        long[] v = new long[Shapes.size(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = t.minValue() + r.nextInt((int) (t.maxValue() - t.minValue() + 1));
        }
        return Tensor.of(t, shape, v);
    }

    private static Tensor scalar(DataType t, long v) {
        return Tensor.of(t, new int[0], new long[] {v});
    }

    private static Tensor floats(float... v) {
        return Tensor.ofFloats(new int[] {v.length}, v);
    }

    @Test
    void convIntegerSubtractsZeroPointsPerTensorAndPerOutputChannel() {
        Tensor x = Tensor.of(DataType.UINT8, new int[] {1, 1, 3}, new long[] {10, 20, 30});
        Tensor w = Tensor.of(DataType.INT8, new int[] {2, 1, 2}, new long[] {1, 2, -3, 4});
        Tensor wZeroPoint = Tensor.of(DataType.INT8, new int[] {2}, new long[] {0, 1});
        Tensor y = NodeRunner.run("ConvInteger", List.of(x, w, scalar(DataType.UINT8, 10), wZeroPoint));
        assertThat(y.dtype()).isEqualTo(DataType.INT32);
        // x − 10 = 0 10 20; channel 0 weights 1 2, channel 1 weights −4 3.
        assertThat(y.longs()).containsExactly(20, 50, 30, 20);
    }

    @Test
    void convIntegerIsExactAtTheExtremes() {
        // 255 · (−128) over 64 channels x 3 x 3 = −18,800,640, far beyond fp32's 2^24.
        long[] xs = new long[64 * 9];
        Arrays.fill(xs, 255);
        long[] ws = new long[64 * 9];
        Arrays.fill(ws, -128);
        ws[0] = -127;
        Tensor y = NodeRunner.run("ConvInteger", List.of(Tensor.of(DataType.UINT8, new int[] {1, 64, 3, 3}, xs),
                Tensor.of(DataType.INT8, new int[] {1, 64, 3, 3}, ws)));
        assertThat(y.longs()).containsExactly(255L * -128 * 64 * 9 + 255);
    }

    @Property(tries = 100)
    void qlinearConvIsConvIntegerPlusBiasRequantized(@ForAll long seed) {
        Random r = new Random(seed);
        DataType xt = r.nextBoolean() ? DataType.UINT8 : DataType.INT8;
        DataType yt = r.nextBoolean() ? DataType.UINT8 : DataType.INT8;
        int group = 1 + r.nextInt(2);
        int channels = group * (1 + r.nextInt(3));
        int outChannels = group * (1 + r.nextInt(3));
        Tensor x = random(r, xt, 1 + r.nextInt(2), channels, 2 + r.nextInt(5), 2 + r.nextInt(5));
        Tensor w = random(r, DataType.INT8, outChannels, channels / group, 1 + r.nextInt(2), 1 + r.nextInt(2));
        Tensor xZeroPoint = random(r, xt);
        boolean perChannel = r.nextBoolean();
        int scales = perChannel ? outChannels : 1;
        Tensor wZeroPoint = random(r, DataType.INT8, scales);
        float[] wScale = new float[scales];
        for (int i = 0; i < scales; i++) {
            wScale[i] = i == 1 ? 0f : 1e-3f + r.nextFloat() * 0.01f; // a channel of zero scale (all-zero weights)
        }
        float xScale = 0.01f + r.nextFloat() * 0.1f;
        float yScale = 0.01f + r.nextFloat();
        Tensor yZeroPoint = random(r, yt);
        Tensor bias = random(r, DataType.INT16, outChannels);
        Attribute[] attrs = {ints("pads", r.nextInt(2), r.nextInt(2), r.nextInt(2), r.nextInt(2)),
            ints("strides", 1 + r.nextInt(2), 1 + r.nextInt(2)), Attribute.of("group", (long) group)};
        Tensor biasI32 = Tensor.of(DataType.INT32, bias.shape(), bias.longs());

        Tensor y = NodeRunner.run("QLinearConv", List.of(x, floats(xScale), xZeroPoint, w, floats(wScale),
                wZeroPoint, floats(yScale), yZeroPoint, biasI32), attrs);
        Tensor acc = NodeRunner.run("ConvInteger", List.of(x, w, xZeroPoint, wZeroPoint), attrs);

        assertThat(y.dtype()).isEqualTo(yt);
        assertThat(y.shape()).containsExactly(acc.shape());
        int plane = acc.size() / (acc.dim(0) * outChannels);
        for (int i = 0; i < acc.size(); i++) {
            int m = (i / plane) % outChannels;
            float multiplier = QuantMath.multiplier(xScale, wScale[perChannel ? m : 0], yScale);
            long expected = QuantMath.requantize(acc.getLong(i) + bias.getLong(m), multiplier,
                    yZeroPoint.getLong(0), yt.minValue(), yt.maxValue());
            assertThat(y.getLong(i)).as("output %d", i).isEqualTo(expected);
        }
    }

    @Test
    void refusesOperandsOfTheWrongType() {
        Tensor x = Tensor.of(DataType.INT32, new int[] {1, 1, 2}, new long[] {1, 2});
        Tensor w = Tensor.of(DataType.INT8, new int[] {1, 1, 1}, new long[] {1});
        assertThatThrownBy(() -> NodeRunner.run("ConvInteger", List.of(x, w))).hasMessageContaining(
                "x is INT32, expected uint8 or int8");
        Tensor x8 = Tensor.of(DataType.UINT8, new int[] {1, 1, 2}, new long[] {1, 2});
        assertThatThrownBy(() -> NodeRunner.run("ConvInteger", List.of(x8, w, scalar(DataType.INT8, 0))))
                .hasMessageContaining("x's zero point is INT8, expected UINT8");
        assertThatThrownBy(() -> NodeRunner.run("ConvInteger", List.of(x8, w, scalar(DataType.UINT8, 0),
                Tensor.of(DataType.INT8, new int[] {2}, new long[] {0, 0})))).hasMessageContaining(
                "w_zero_point has 2 values, expected 1 or one per output channel (1)");
    }
}
