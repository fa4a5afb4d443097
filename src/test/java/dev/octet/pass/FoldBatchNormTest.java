package dev.octet.pass;

import static dev.octet.pass.PassAssertions.assertCloseOutputs;
import static dev.octet.pass.PassAssertions.assertGolden;
import static dev.octet.pass.TestGraph.pads;
import static org.assertj.core.api.Assertions.assertThat;

import dev.octet.ir.Attribute;
import dev.octet.ir.Graph;
import dev.octet.ir.Node;
import java.util.List;
import org.junit.jupiter.api.Test;

class FoldBatchNormTest {
    /**
     * A Conv with bias and one without, each followed by a BatchNormalization that folds; a BatchNormalization of
     * a graph input, and one after a Conv whose result is also read elsewhere, stay.
     */
    private static Graph graph() {
        TestGraph b = new TestGraph("fold_batchnorm").input("x", 1, 3, 6, 6)
                .weight("w1", 4, 3, 3, 3).weight("b1", 4).weight("w2", 4, 4, 1, 1).weight("w3", 4, 4, 1, 1);
        for (String bn : List.of("bn1", "bn2", "bn0", "bn3")) {
            int c = bn.equals("bn0") ? 3 : 4;
            b.weight(bn + "_scale", 0.5, 1.5, c).weight(bn + "_bias", c).weight(bn + "_mean", c)
                    .weight(bn + "_var", 0.1, 2, c);
        }
        return b.node("Conv", "c1", List.of("x", "w1", "b1"), Attribute.of("kernel_shape", 3L, 3L), pads(1))
                .node(bn("bn1", "c1", "n1", 1e-5f))
                .node("Conv", "c2", List.of("n1", "w2"))
                .node(bn("bn2", "c2", "n2", 1e-3f))
                .node(bn("bn0", "x", "n0", 1e-5f))
                .node("Conv", "c3", List.of("n2", "w3"))
                .node(bn("bn3", "c3", "n3", 1e-5f))
                .node("Add", "y", List.of("c3", "n3"))
                .output("n0").output("y").build();
    }

    private static Node bn(String name, String in, String out, float epsilon) {
        return Node.of(name, "BatchNormalization", List.of(in, name + "_scale", name + "_bias", name + "_mean",
                name + "_var"), List.of(out), Attribute.of("epsilon", epsilon));
    }

    @Test
    void foldsABatchNormFollowingAConvIntoItsWeights() {
        Graph before = graph();
        Graph after = new FoldBatchNorm().apply(before);
        assertGolden("fold_batchnorm", before, after);
        assertCloseOutputs(before, after, TestGraph.randomInputs(before, 12), 1e-5);
    }

    @Test
    void foldsInDoubleAndRoundsOnce() {
        Graph after = new FoldBatchNorm().apply(graph());
        Graph before = graph();
        float[] w = before.constants().get("w2").floats();
        double s = before.constants().get("bn2_scale").getDouble(1)
                / Math.sqrt(before.constants().get("bn2_var").getDouble(1) + 1e-3f);
        assertThat(after.constants().get("w2_folded").floats()[4]).isEqualTo((float) (w[4] * s));
        double bias = before.constants().get("bn2_bias").getDouble(1)
                - before.constants().get("bn2_mean").getDouble(1) * s;
        assertThat(after.constants().get("w2_bias_folded").floats()[1]).isEqualTo((float) bias);
    }
}
