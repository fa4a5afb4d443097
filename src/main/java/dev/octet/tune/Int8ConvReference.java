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
 * bit-exact meaning (DESIGN.md: one reference per operator) rather than to a copy of it. A residual workload's
 * judge is octet.QLinearConvAdd's reference ({@link #qlinearConvAdd}).
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
        return evaluate(w, g, x, weights, bias, xScale, zx, wScale, yScale, zy, null);
    }

    /**
     * The fused residual add's parameters: the residual bytes (u8, the output's shape), how the add reads the
     * convolution's value (scale, zero point), the residual's and the add output's scale and zero point.
     */
    public record Add(byte[] residual, float aScale, int za, float rScale, int zr, float cScale, int zc) {
    }

    /**
     * octet.QLinearConvAdd: {@link #qlinearConv} requantized to u8 (zero point zy, the whole range), then the add
     * with the residual, to the workload's output type.
     */
    static long[] qlinearConvAdd(Int8ConvWorkload w, ConvGeometry g, byte[] x, byte[] weights, int[] bias,
            float xScale, int zx, float[] wScale, float yScale, int zy, Add add) {
        return evaluate(w, g, x, weights, bias, xScale, zx, wScale, yScale, zy, add);
    }

    private static long[] evaluate(Int8ConvWorkload w, ConvGeometry g, byte[] x, byte[] weights, int[] bias,
            float xScale, int zx, float[] wScale, float yScale, int zy, Add add) {
        List<String> names = List.of("x", "xs", "xz", "w", "ws", "wz", "ys", "yz", "b", "as", "az", "r", "rs", "rz",
                "cs", "cz");
        Node node = Node.of("qconv", add == null ? "QLinearConv" : "QLinearConvAdd",
                add == null ? names.subList(0, 9) : names,
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
        if (add != null) {
            node = new Node(node.name(), node.opType(), "octet", node.inputs(), node.outputs(), node.attributes());
        }
        DataType outType = w.signedOutput() ? DataType.INT8 : DataType.UINT8;
        DataType yt = add != null ? DataType.UINT8 : outType;
        List<Tensor> inputs = new java.util.ArrayList<>(List.of(
                Tensor.of(DataType.UINT8, new int[] {g.batch(), w.inChannels(), g.h(), g.w()}, xv),
                Tensor.ofFloats(new int[0], xScale),
                Tensor.of(DataType.UINT8, new int[0], new long[] {zx}),
                Tensor.of(DataType.INT8, new int[] {w.outChannels(), w.inPerGroup(), w.kernelH(), w.kernelW()}, wv),
                Tensor.ofFloats(new int[] {w.outChannels()}, wScale),
                Tensor.of(DataType.INT8, new int[0], new long[] {0}),
                Tensor.ofFloats(new int[0], yScale),
                Tensor.of(yt, new int[0], new long[] {zy}),
                Tensor.of(DataType.INT32, new int[] {w.outChannels()}, bv)));
        if (add != null) {
            long[] rv = new long[add.residual().length];
            for (int i = 0; i < rv.length; i++) {
                rv[i] = add.residual()[i] & 0xff;
            }
            int oh = (g.h() + g.pt() + g.pb() - ((w.kernelH() - 1) * w.dilationH() + 1)) / w.strideH() + 1;
            int ow = (g.w() + g.pl() + g.pr() - ((w.kernelW() - 1) * w.dilationW() + 1)) / w.strideW() + 1;
            inputs.addAll(List.of(Tensor.ofFloats(new int[0], add.aScale()),
                    Tensor.of(DataType.UINT8, new int[0], new long[] {add.za()}),
                    Tensor.of(DataType.UINT8, new int[] {g.batch(), w.outChannels(), oh, ow}, rv),
                    Tensor.ofFloats(new int[0], add.rScale()),
                    Tensor.of(DataType.UINT8, new int[0], new long[] {add.zr()}),
                    Tensor.ofFloats(new int[0], add.cScale()),
                    Tensor.of(outType, new int[0], new long[] {add.zc()})));
        }
        return OperatorRegistry.forNode(node).evaluate(new EvalContext(node, 10, inputs)).get(0).longs().clone();
    }
}
