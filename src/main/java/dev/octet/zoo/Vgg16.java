package dev.octet.zoo;

import dev.octet.ir.Model;

/**
 * VGG-16 (configuration D, without batch normalization) as torchvision builds it ({@code torchvision.models.vgg16}):
 * thirteen 3×3 convolutions with bias and ReLU in blocks of [2, 2, 3, 3, 3] with 64, 128, 256, 512, 512 channels,
 * a 2×2/2 max pool after each block, then the classifier 25088 → 4096 → 4096 → 1000 with ReLU between (Dropout
 * is the identity at inference and is left out, as in an exported model). Input [N, 3, 224, 224]. torchvision's
 * AdaptiveAvgPool2d((7, 7)) is the identity on the 7×7 map a 224×224 input gives, so it is left out too.
 * 138,357,544 parameters. Random weights (see {@link GraphBuilder}).
 */
final class Vgg16 {
    static final int[][] BLOCKS = {{64, 64}, {128, 128}, {256, 256, 256}, {512, 512, 512}, {512, 512, 512}};

    private Vgg16() {
    }

    /** The model with the given weight seed. */
    public static Model build(long seed) {
        GraphBuilder b = new GraphBuilder("vgg16", seed);
        Act x = b.input("input", 3, 224, 224);
        try (GraphBuilder.Scope s = b.scope("features")) {
            for (int[] block : BLOCKS) {
                for (int c : block) {
                    x = b.relu(b.conv(x, c, 3, 3, 1, 1, 1, 1, true));
                }
                x = b.maxPool(x, 2, 2, 0);
            }
        }
        try (GraphBuilder.Scope s = b.scope("classifier")) {
            x = b.flatten(x);
            x = b.relu(b.linear(x, 4096, true));
            x = b.relu(b.linear(x, 4096, true));
            x = b.linear(x, 1000, false);
        }
        return b.build(x, "logits", "VGG-16 (configuration D, torchvision layout), 224x224");
    }
}
