package dev.octet.zoo;

import dev.octet.ir.Model;

/**
 * MobileNetV2 at width 1.0 as torchvision builds it ({@code torchvision.models.mobilenet_v2}). Input
 * [N, 3, 224, 224]: a 3×3/2 convolution to 32 channels; 17 inverted residual blocks (1×1 expansion by t with BN
 * and ReLU6 — left out where t = 1 —, 3×3 depthwise convolution with BN and ReLU6 carrying the stride, 1×1 linear
 * projection with BN; a residual sum where the stride is 1 and the channels match) in the stages
 * (t, c, n, s) = (1,16,1,1) (6,24,2,2) (6,32,3,2) (6,64,4,2) (6,96,3,1) (6,160,3,2) (6,320,1,1); a 1×1
 * convolution to 1280 with BN and ReLU6; global average pool, flatten, fully connected 1280 → 1000 (the dropout
 * before it is left out at inference). ReLU6 is Clip(0, 6), as PyTorch exports it. 3,504,872 parameters. Random
 * weights (see {@link GraphBuilder}); the projection BN of a block with a residual sum has its γ scaled by 0.5.
 */
public final class MobileNetV2 {
    /** Expansion t, output channels c, repeats n, first stride s. */
    static final int[][] STAGES = {
        {1, 16, 1, 1}, {6, 24, 2, 2}, {6, 32, 3, 2}, {6, 64, 4, 2}, {6, 96, 3, 1}, {6, 160, 3, 2}, {6, 320, 1, 1}};
    private static final double EPS = 1e-5;
    private static final double RESIDUAL_GAMMA = 0.5;

    private MobileNetV2() {
    }

    /** The model with the given weight seed. */
    public static Model build(long seed) {
        GraphBuilder b = new GraphBuilder("mobilenetv2", seed);
        Act x = b.input("input", 3, 224, 224);
        int block = 0;
        try (GraphBuilder.Scope s = b.scope("features.0")) {
            x = convBnRelu6(b, x, 32, 3, 2, 1);
        }
        for (int[] stage : STAGES) {
            for (int i = 0; i < stage[2]; i++) {
                try (GraphBuilder.Scope s = b.scope("features." + ++block)) {
                    x = invertedResidual(b, x, stage[1], i == 0 ? stage[3] : 1, stage[0]);
                }
            }
        }
        try (GraphBuilder.Scope s = b.scope("features." + ++block)) {
            x = convBnRelu6(b, x, 1280, 1, 1, 1);
        }
        x = b.flatten(b.globalAvgPool(x));
        try (GraphBuilder.Scope s = b.scope("classifier")) {
            x = b.linear(x, 1000, false);
        }
        return b.build(x, "logits", "MobileNetV2 1.0 (torchvision layout), 224x224");
    }

    private static Act invertedResidual(GraphBuilder b, Act x, int out, int stride, int expand) {
        int hidden = x.channels() * expand;
        boolean residual = stride == 1 && x.channels() == out;
        Act y = x;
        if (expand != 1) {
            y = convBnRelu6(b, y, hidden, 1, 1, 1);
        }
        y = convBnRelu6(b, y, hidden, 3, stride, hidden);
        y = b.batchNorm(b.conv(y, out, 1, 1, 1, 0, 0, 1, false), EPS, residual ? RESIDUAL_GAMMA : 1);
        return residual ? b.add(x, y) : y;
    }

    private static Act convBnRelu6(GraphBuilder b, Act x, int out, int kernel, int stride, int groups) {
        int pad = (kernel - 1) / 2;
        return b.relu6(b.batchNorm(b.conv(x, out, kernel, kernel, stride, pad, pad, groups, false), EPS, 1));
    }
}
