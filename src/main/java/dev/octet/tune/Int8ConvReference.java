package dev.octet.tune;

import dev.octet.ir.Attribute;
import dev.octet.ir.DataType;
import dev.octet.ir.Node;
import dev.octet.ir.Tensor;
import dev.octet.ir.op.EvalContext;
import dev.octet.ir.op.OperatorRegistry;
import dev.octet.kernel.Int8ConvWorkload;
import java.util.List;

/**
 * The expected output of an int8 convolution kernel, from the reference QLinearConv operator: the one judge the
 * tuner's {@link Int8ConvProblem} and the int8 template tests share, so every int8 conv kernel is held to the same
 * bit-exact meaning (DESIGN.md: one reference per operator) rather than to a copy of it.
 */
public final class Int8ConvReference {
    private Int8ConvReference() {
    }

    /**
     * QLinearConv of u8 activations {@code [batch][inChannels][h][w]} and s8 weights
     * {@code [outChannels][inChannels/groups][kernelH][kernelW]} (zero point 0, a scale per output channel) with an
     * int32 bias, requantized to the workload's output type.
     *
     * @return the outputs {@code [batch][outChannels][oh][ow]}, u8 or s8 values as longs
     */
    public static long[] qlinearConv(Int8ConvWorkload w, ConvGeometry g, byte[] x, byte[] weights, int[] bias,
            float xScale, int zx, float[] wScale, float yScale, int zy) {
        Node node = Node.of("qconv", "QLinearConv", List.of("x", "xs", "xz", "w", "ws", "wz", "ys", "yz", "b"),
                List.of("y"), Attribute.of("group", (long) w.groups()),
                Attribute.of("strides", (long) w.strideH(), w.strideW()),
                Attribute.of("dilations", (long) w.dilationH(), w.dilationW()),
                Attribute.of("pads", (long) g.pt(), g.pl(), g.pb(), g.pr()));
        long[] xv = new long[x.length];
        for (int i = 0; i < x.length; i++) {
            xv[i] = x[i] & 0xff;
        }
        long[] wv = new long[weights.length];
        for (int i = 0; i < weights.length; i++) {
            wv[i] = weights[i];
        }
        long[] bv = new long[bias.length];
        for (int i = 0; i < bv.length; i++) {
            bv[i] = bias[i];
        }
        DataType yt = w.signedOutput() ? DataType.INT8 : DataType.UINT8;
        List<Tensor> inputs = List.of(
                Tensor.of(DataType.UINT8, new int[] {g.batch(), w.inChannels(), g.h(), g.w()}, xv),
                Tensor.ofFloats(new int[0], xScale),
                Tensor.of(DataType.UINT8, new int[0], new long[] {zx}),
                Tensor.of(DataType.INT8, new int[] {w.outChannels(), w.inPerGroup(), w.kernelH(), w.kernelW()}, wv),
                Tensor.ofFloats(new int[] {w.outChannels()}, wScale),
                Tensor.of(DataType.INT8, new int[0], new long[] {0}),
                Tensor.ofFloats(new int[0], yScale),
                Tensor.of(yt, new int[0], new long[] {zy}),
                Tensor.of(DataType.INT32, new int[] {w.outChannels()}, bv));
        return OperatorRegistry.forNode(node).evaluate(new EvalContext(node, 10, inputs)).get(0).longs().clone();
    }
}
