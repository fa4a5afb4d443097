package dev.octet.pass;

import static dev.octet.pass.PassAssertions.assertCloseOutputs;
import static dev.octet.pass.PassAssertions.assertGolden;
import static dev.octet.pass.TestGraph.pads;

import dev.octet.ir.Attribute;
import dev.octet.ir.Graph;
import java.util.List;
import org.junit.jupiter.api.Test;

class FoldScaleShiftBeforeConvTest {
    /**
     * A learnable scale and shift (one-element constants) and a per-channel division before a grouped pointwise
     * convolution fold, and so does the scale of c1 that only the fused c3 reads (its epilogue gains the bias);
     * before a padded convolution, whose border would see the shift, they stay.
     */
    private static Graph graph() {
        return new TestGraph("fold_scale_shift_before_conv").input("x", 1, 4, 5, 5)
                .weight("scale", 0.5, 2, 1).weight("shift", 1).weight("divisor", 0.5, 2, 1, 4, 1, 1)
                .weight("w1", 6, 2, 1, 1).weight("b1", 6).weight("w2", 4, 6, 3, 3).weight("w3", 4, 6, 1, 1)
                .node("Relu", "r", List.of("x"))
                .node("Mul", "s", List.of("scale", "r"))
                .node("Add", "t", List.of("s", "shift"))
                .node("Div", "d", List.of("t", "divisor"))
                .node("Conv", "c1", List.of("d", "w1", "b1"), Attribute.of("group", 2L))
                .node("Mul", "s2", List.of("c1", "scale"))
                .node("Add", "t2", List.of("s2", "shift"))
                .node("Conv", "c2", List.of("t2", "w2"), Attribute.of("kernel_shape", 3L, 3L), pads(1))
                .node("Mul", "s3", List.of("c1", "scale"))
                .fusedConv("c3", List.of("s3", "w3", ""), List.of("relu"))
                .node("Add", "y", List.of("c2", "c3"))
                .output("y").build();
    }

    @Test
    void foldsPerChannelArithmeticBeforeAnUnpaddedConvIntoItsWeights() {
        Graph before = graph();
        Graph after = new FoldScaleShiftBeforeConv().apply(before);
        assertGolden("fold_scale_shift_before_conv", before, after);
        assertCloseOutputs(before, after, TestGraph.randomInputs(before, 13), 1e-5);
    }

    @Test
    void stopsAtAKeptValue() {
        Graph before = graph();
        Graph after = new FoldScaleShiftBeforeConv(java.util.Set.of("t")).apply(before);
        org.assertj.core.api.Assertions.assertThat(PassAssertions.print(after)).contains("t = Add(s, shift)");
        org.assertj.core.api.Assertions.assertThat(after.nodes()).noneMatch(n -> n.outputs().contains("d"));
        assertCloseOutputs(before, after, TestGraph.randomInputs(before, 13), 1e-5);
    }
}
