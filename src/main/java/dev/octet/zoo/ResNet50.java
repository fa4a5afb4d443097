package dev.octet.zoo;

import dev.octet.ir.Model;

/**
 * ResNet-50 as torchvision builds it ({@code torchvision.models.resnet50}), which is <b>ResNet v1.5</b>: in a
 * downsampling bottleneck the stride 2 is on the 3×3 convolution, not on the first 1×1 as in the original paper
 * (v1). Input [N, 3, 224, 224]: 7×7/2 convolution, BN, ReLU, 3×3/2 max pool; bottlenecks (1×1, 3×3, 1×1 with 4×
 * expansion; a 1×1 projection with BN on the shortcut of each stage's first block) in stages of [3, 4, 6, 3]
 * blocks of width 64, 128, 256, 512; global average pool, flatten, fully connected 2048 → 1000. 25,557,032
 * parameters. Random weights (see {@link GraphBuilder}); the last BN of each residual branch has its γ scaled by
 * 0.25 so that the variance does not double at each of the 16 residual sums.
 */
public final class ResNet50 {
    static final int[] BLOCKS = {3, 4, 6, 3};
    private static final double EPS = 1e-5;
    private static final double RESIDUAL_GAMMA = 0.25;

    private ResNet50() {
    }

    /** The model with the given weight seed. */
    public static Model build(long seed) {
        GraphBuilder b = new GraphBuilder("resnet50", seed);
        Act x = b.input("input", 3, 224, 224);
        x = b.relu(b.batchNorm(b.conv(x, 64, 7, 2, 3), EPS, 1));
        x = b.maxPool(x, 3, 2, 1);
        for (int stage = 0; stage < BLOCKS.length; stage++) {
            int planes = 64 << stage;
            for (int i = 0; i < BLOCKS[stage]; i++) {
                try (GraphBuilder.Scope s = b.scope("layer" + (stage + 1) + "." + i)) {
                    x = bottleneck(b, x, planes, i == 0 && stage > 0 ? 2 : 1);
                }
            }
        }
        x = b.flatten(b.globalAvgPool(x));
        Act logits = b.linear(x, 1000, false);
        return b.build(logits, "logits", "ResNet-50 v1.5 (torchvision layout), 224x224");
    }

    private static Act bottleneck(GraphBuilder b, Act x, int planes, int stride) {
        int out = planes * 4;
        Act y = b.relu(b.batchNorm(b.conv(x, planes, 1, 1, 0), EPS, 1));
        y = b.relu(b.batchNorm(b.conv(y, planes, 3, stride, 1), EPS, 1));
        y = b.batchNorm(b.conv(y, out, 1, 1, 0), EPS, RESIDUAL_GAMMA);
        Act shortcut = x;
        if (stride != 1 || x.channels() != out) {
            try (GraphBuilder.Scope s = b.scope("downsample")) {
                shortcut = b.batchNorm(b.conv(x, out, 1, stride, 0), EPS, 1);
            }
        }
        return b.relu(b.add(y, shortcut));
    }
}
