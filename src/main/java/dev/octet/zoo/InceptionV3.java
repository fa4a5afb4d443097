package dev.octet.zoo;

import dev.octet.ir.Model;
import java.util.List;

/**
 * Inception-v3 as torchvision builds it ({@code torchvision.models.inception_v3}) without the auxiliary classifier
 * (which only training uses) and without {@code transform_input}. Input [N, 3, 299, 299]. Every convolution is
 * torchvision's BasicConv2d: convolution without bias, BN (ε = 0.001), ReLU. Stem: 3×3/2 32, 3×3 32, 3×3 pad 1 64,
 * 3×3/2 max pool, 1×1 80, 3×3 192, 3×3/2 max pool (35×35×192). Then Mixed_5b–5d (InceptionA, pool features 32,
 * 64, 64), Mixed_6a (InceptionB, to 17×17×768), Mixed_6b–6e (InceptionC with 7×7 factorised into 1×7 and 7×1,
 * c7 = 128, 160, 160, 192), Mixed_7a (InceptionD, to 8×8×1280), Mixed_7b–7c (InceptionE, to 2048), global average
 * pool, flatten, fully connected 2048 → 1000. Branch average pools are 3×3/1 pad 1 counting the padding, as
 * PyTorch's avg_pool2d does. 23,834,568 parameters (torchvision's 27,161,264 less the 3,326,696 of the auxiliary
 * head). Random weights (see {@link GraphBuilder}).
 */
final class InceptionV3 {
    private static final double EPS = 1e-3;

    private InceptionV3() {
    }

    /** The model with the given weight seed. */
    public static Model build(long seed) {
        GraphBuilder b = new GraphBuilder("inceptionv3", seed);
        Act x = b.input("input", 3, 299, 299);
        x = basic(b, "Conv2d_1a_3x3", x, 32, 3, 3, 2, 0, 0);
        x = basic(b, "Conv2d_2a_3x3", x, 32, 3, 3, 1, 0, 0);
        x = basic(b, "Conv2d_2b_3x3", x, 64, 3, 3, 1, 1, 1);
        x = b.maxPool(x, 3, 2, 0);
        x = basic(b, "Conv2d_3b_1x1", x, 80, 1, 1, 1, 0, 0);
        x = basic(b, "Conv2d_4a_3x3", x, 192, 3, 3, 1, 0, 0);
        x = b.maxPool(x, 3, 2, 0);
        x = inceptionA(b, "Mixed_5b", x, 32);
        x = inceptionA(b, "Mixed_5c", x, 64);
        x = inceptionA(b, "Mixed_5d", x, 64);
        x = inceptionB(b, "Mixed_6a", x);
        x = inceptionC(b, "Mixed_6b", x, 128);
        x = inceptionC(b, "Mixed_6c", x, 160);
        x = inceptionC(b, "Mixed_6d", x, 160);
        x = inceptionC(b, "Mixed_6e", x, 192);
        x = inceptionD(b, "Mixed_7a", x);
        x = inceptionE(b, "Mixed_7b", x);
        x = inceptionE(b, "Mixed_7c", x);
        x = b.flatten(b.globalAvgPool(x));
        try (GraphBuilder.Scope s = b.scope("fc")) {
            x = b.linear(x, 1000, false);
        }
        return b.build(x, "logits", "Inception-v3 (torchvision layout, no auxiliary head), 299x299");
    }

    private static Act inceptionA(GraphBuilder b, String name, Act x, int poolFeatures) {
        try (GraphBuilder.Scope s = b.scope(name)) {
            Act b1 = basic(b, "branch1x1", x, 64, 1, 1, 1, 0, 0);
            Act b5 = basic(b, "branch5x5_1", x, 48, 1, 1, 1, 0, 0);
            b5 = basic(b, "branch5x5_2", b5, 64, 5, 5, 1, 2, 2);
            Act b3 = basic(b, "branch3x3dbl_1", x, 64, 1, 1, 1, 0, 0);
            b3 = basic(b, "branch3x3dbl_2", b3, 96, 3, 3, 1, 1, 1);
            b3 = basic(b, "branch3x3dbl_3", b3, 96, 3, 3, 1, 1, 1);
            Act pool = basic(b, "branch_pool", b.avgPool(x, 3, 1, 1), poolFeatures, 1, 1, 1, 0, 0);
            return b.concat(List.of(b1, b5, b3, pool));
        }
    }

    private static Act inceptionB(GraphBuilder b, String name, Act x) {
        try (GraphBuilder.Scope s = b.scope(name)) {
            Act b3 = basic(b, "branch3x3", x, 384, 3, 3, 2, 0, 0);
            Act d = basic(b, "branch3x3dbl_1", x, 64, 1, 1, 1, 0, 0);
            d = basic(b, "branch3x3dbl_2", d, 96, 3, 3, 1, 1, 1);
            d = basic(b, "branch3x3dbl_3", d, 96, 3, 3, 2, 0, 0);
            return b.concat(List.of(b3, d, b.maxPool(x, 3, 2, 0)));
        }
    }

    private static Act inceptionC(GraphBuilder b, String name, Act x, int c7) {
        try (GraphBuilder.Scope s = b.scope(name)) {
            Act b1 = basic(b, "branch1x1", x, 192, 1, 1, 1, 0, 0);
            Act b7 = basic(b, "branch7x7_1", x, c7, 1, 1, 1, 0, 0);
            b7 = basic(b, "branch7x7_2", b7, c7, 1, 7, 1, 0, 3);
            b7 = basic(b, "branch7x7_3", b7, 192, 7, 1, 1, 3, 0);
            Act d = basic(b, "branch7x7dbl_1", x, c7, 1, 1, 1, 0, 0);
            d = basic(b, "branch7x7dbl_2", d, c7, 7, 1, 1, 3, 0);
            d = basic(b, "branch7x7dbl_3", d, c7, 1, 7, 1, 0, 3);
            d = basic(b, "branch7x7dbl_4", d, c7, 7, 1, 1, 3, 0);
            d = basic(b, "branch7x7dbl_5", d, 192, 1, 7, 1, 0, 3);
            Act pool = basic(b, "branch_pool", b.avgPool(x, 3, 1, 1), 192, 1, 1, 1, 0, 0);
            return b.concat(List.of(b1, b7, d, pool));
        }
    }

    private static Act inceptionD(GraphBuilder b, String name, Act x) {
        try (GraphBuilder.Scope s = b.scope(name)) {
            Act b3 = basic(b, "branch3x3_1", x, 192, 1, 1, 1, 0, 0);
            b3 = basic(b, "branch3x3_2", b3, 320, 3, 3, 2, 0, 0);
            Act b7 = basic(b, "branch7x7x3_1", x, 192, 1, 1, 1, 0, 0);
            b7 = basic(b, "branch7x7x3_2", b7, 192, 1, 7, 1, 0, 3);
            b7 = basic(b, "branch7x7x3_3", b7, 192, 7, 1, 1, 3, 0);
            b7 = basic(b, "branch7x7x3_4", b7, 192, 3, 3, 2, 0, 0);
            return b.concat(List.of(b3, b7, b.maxPool(x, 3, 2, 0)));
        }
    }

    private static Act inceptionE(GraphBuilder b, String name, Act x) {
        try (GraphBuilder.Scope s = b.scope(name)) {
            Act b1 = basic(b, "branch1x1", x, 320, 1, 1, 1, 0, 0);
            Act b3 = basic(b, "branch3x3_1", x, 384, 1, 1, 1, 0, 0);
            b3 = b.concat(List.of(basic(b, "branch3x3_2a", b3, 384, 1, 3, 1, 0, 1),
                    basic(b, "branch3x3_2b", b3, 384, 3, 1, 1, 1, 0)));
            Act d = basic(b, "branch3x3dbl_1", x, 448, 1, 1, 1, 0, 0);
            d = basic(b, "branch3x3dbl_2", d, 384, 3, 3, 1, 1, 1);
            d = b.concat(List.of(basic(b, "branch3x3dbl_3a", d, 384, 1, 3, 1, 0, 1),
                    basic(b, "branch3x3dbl_3b", d, 384, 3, 1, 1, 1, 0)));
            Act pool = basic(b, "branch_pool", b.avgPool(x, 3, 1, 1), 192, 1, 1, 1, 0, 0);
            return b.concat(List.of(b1, b3, d, pool));
        }
    }

    /** torchvision's BasicConv2d: convolution without bias, BN, ReLU, in a scope named after the module. */
    private static Act basic(GraphBuilder b, String name, Act x, int out, int kh, int kw, int stride, int padH,
            int padW) {
        try (GraphBuilder.Scope s = b.scope(name)) {
            return b.relu(b.batchNorm(b.conv(x, out, kh, kw, stride, padH, padW, 1, false), EPS, 1));
        }
    }
}
