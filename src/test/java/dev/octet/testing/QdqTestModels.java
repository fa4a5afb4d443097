package dev.octet.testing;

import dev.octet.ir.DataType;
import dev.octet.ir.Graph;
import dev.octet.testing.QdqGraphBuilder.Act;
import java.util.List;

/** Hand-built QDQ models (QDQ_FORM.md) that together reach every int8 lowering, for the compiled-model tests. */
public final class QdqTestModels {
    private QdqTestModels() {
    }

    public static List<Graph> all() {
        return List.of(convRelu(), convClip(), stridedGroupedConvs(), residual(), poolAndConcat(), depthwise(),
                floatIsland(), hardSwish());
    }

    /** 3×3 Conv + ReLU to u8 (7-bit weights: the maddubs variant), then a 1×1 Conv to s8 (full range: widen). */
    public static Graph convRelu() {
        QdqGraphBuilder b = new QdqGraphBuilder("conv_relu", 11);
        String x = b.input("x", 2, 5, 9, 11);
        String r = b.conv(x, 12, 3, 1, 1, 1, Act.RELU, DataType.UINT8, true);
        String s = b.conv(r, 6, 1, 1, 0, 1, Act.NONE, DataType.INT8, false);
        return b.build(s, r);
    }

    /** Conv + Clip (both bounds inside the range) to u8 and Conv + ReLU to s8: narrowed clamp ranges. */
    public static Graph convClip() {
        QdqGraphBuilder b = new QdqGraphBuilder("conv_clip", 12);
        String x = b.input("x", 1, 8, 10, 10);
        String c = b.conv(x, 16, 3, 1, 1, 1, Act.CLIP, DataType.UINT8, false);
        String r = b.conv(c, 8, 3, 1, 1, 1, Act.RELU, DataType.INT8, true);
        return b.build(r, c);
    }

    /** Strided, padded, grouped and depthwise convolutions, odd sizes. */
    public static Graph stridedGroupedConvs() {
        QdqGraphBuilder b = new QdqGraphBuilder("strided_grouped", 13);
        String x = b.input("x", 1, 6, 13, 15);
        String s = b.conv(x, 12, 3, 2, 1, 1, Act.RELU, DataType.UINT8, false);
        String g = b.conv(s, 12, 3, 1, 1, 3, Act.RELU, DataType.UINT8, true);
        String d = b.conv(g, 12, 5, 2, 2, 12, Act.NONE, DataType.UINT8, false);
        String p = b.conv(d, 7, 1, 1, 0, 1, Act.NONE, DataType.INT8, false);
        return b.build(p);
    }

    /** A ResNet-like block: two convolutions, the residual add (s8 + u8) with ReLU, then an add without. */
    public static Graph residual() {
        QdqGraphBuilder b = new QdqGraphBuilder("residual", 14);
        String x = b.input("x", 1, 8, 8, 8);
        String c1 = b.conv(x, 8, 3, 1, 1, 1, Act.RELU, DataType.UINT8, true);
        String c2 = b.conv(c1, 8, 3, 1, 1, 1, Act.NONE, DataType.INT8, false);
        String r = b.add(c2, x, true, DataType.UINT8);
        String s = b.add(r, c1, false, DataType.INT8);
        return b.build(s, r);
    }

    /** Two branches with one set of output parameters, concatenated, max-pooled, flattened. */
    public static Graph poolAndConcat() {
        QdqGraphBuilder b = new QdqGraphBuilder("pool_concat", 15);
        String x = b.input("x", 2, 4, 11, 11);
        String c1 = b.conv(x, 8, 3, 1, 1, 1, Act.RELU, DataType.UINT8, true);
        String c2 = b.conv(x, 4, 1, 1, 0, 1, Act.RELU, b.params(c1), false);
        String cat = b.concat(c1, c2);
        String pool = b.maxPool(cat, 3, 2, 1);
        String c3 = b.conv(pool, 6, 3, 1, 0, 1, Act.NONE, DataType.UINT8, false);
        return b.build(b.flatten(c3), pool);
    }

    /** PP-LCNet's pattern: a conv to u8, the exported HardSwish in float (a table lookup once fused), a conv. */
    public static Graph hardSwish() {
        QdqGraphBuilder b = new QdqGraphBuilder("hardswish", 18);
        String x = b.input("x", 1, 6, 9, 9);
        String c = b.conv(x, 8, 3, 1, 1, 1, Act.NONE, DataType.UINT8, false);
        String h = b.hardSwish(c, DataType.UINT8);
        String y = b.conv(h, 5, 1, 1, 0, 1, Act.RELU, DataType.UINT8, false);
        return b.build(y);
    }

    /**
     * A MobileNetV2-like inverted residual: 1×1 expansion with ReLU, a 3×3 depthwise conv with Clip (full-range
     * weights), a strided 3×3 depthwise conv with ReLU (7-bit weights), a 1×1 projection to s8; three depthwise
     * convolutions in all (the last one 5×5, dilation-free, on a wide odd image).
     */
    public static Graph depthwise() {
        QdqGraphBuilder b = new QdqGraphBuilder("depthwise", 16);
        String x = b.input("x", 1, 6, 15, 37);
        String e = b.conv(x, 16, 1, 1, 0, 1, Act.RELU, DataType.UINT8, false);
        String d1 = b.conv(e, 16, 3, 1, 1, 16, Act.CLIP, DataType.UINT8, false);
        String d2 = b.conv(d1, 16, 3, 2, 1, 16, Act.RELU, DataType.UINT8, true);
        String d3 = b.conv(d2, 16, 5, 1, 2, 16, Act.NONE, DataType.UINT8, false);
        String p = b.conv(d3, 8, 1, 1, 0, 1, Act.NONE, DataType.INT8, false);
        return b.build(p, d1);
    }

    /**
     * The borders of float islands: a u8 conv output dequantized into a Sigmoid quantized to s8, an s8 MaxPool,
     * the s8 values dequantized into a float Relu quantized to u8 (these one-input islands become table lookups),
     * then a float per-channel scale (no lookup: its DequantizeLinear and QuantizeLinear stay); the outputs stay
     * quantized (integer comparisons).
     */
    public static Graph floatIsland() {
        QdqGraphBuilder b = new QdqGraphBuilder("float_island", 17);
        String x = b.input("x", 2, 3, 17, 29);
        String c = b.conv(x, 8, 3, 1, 1, 1, Act.RELU, DataType.UINT8, true);
        String s = b.floatOp(c, "Sigmoid", QdqGraphBuilder.Params.forRange(1.0, false, DataType.INT8));
        String p = b.maxPool(s, 2, 2, 0);
        String t = b.floatOp(p, "Relu", QdqGraphBuilder.Params.forRange(1.0, true, DataType.UINT8));
        return b.build(b.channelScale(t, DataType.UINT8), c);
    }
}
