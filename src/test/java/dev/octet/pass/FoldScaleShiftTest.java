package dev.octet.pass;

import static dev.octet.pass.PassAssertions.assertCloseOutputs;
import static dev.octet.pass.PassAssertions.assertGolden;
import static dev.octet.pass.TestGraph.pads;

import dev.octet.ir.Attribute;
import dev.octet.ir.Graph;
import java.util.List;
import org.junit.jupiter.api.Test;

class FoldScaleShiftTest {
    /**
     * PP-LCNet's learnable scale and shift after a convolution (one-element constants), a per-channel division and
     * subtraction; a subtraction from a constant and a per-pixel constant are not per-channel affine maps of the
     * convolution's result and stay.
     */
    private static Graph graph() {
        return new TestGraph("fold_scale_shift").input("x", 1, 4, 5, 5)
                .weight("w1", 4, 4, 3, 3).weight("b1", 4).weight("w2", 4, 4, 1, 1)
                .weight("scale", 0.5, 2, 1).weight("shift", 1).weight("divisor", 0.5, 2, 1, 4, 1, 1)
                .weight("mean", 4, 1, 1).weight("pixels", 5, 5)
                .node("Conv", "c1", List.of("x", "w1", "b1"), Attribute.of("kernel_shape", 3L, 3L), pads(1))
                .node("Mul", "s1", List.of("scale", "c1"))
                .node("Add", "t1", List.of("s1", "shift"))
                .node("Relu", "r1", List.of("t1"))
                .node("Conv", "c2", List.of("r1", "w2"))
                .node("Div", "d2", List.of("c2", "divisor"))
                .node("Sub", "e2", List.of("d2", "mean"))
                .node("Sub", "f2", List.of("shift", "e2"))
                .node("Mul", "y", List.of("f2", "pixels"))
                .output("y").build();
    }

    @Test
    void foldsPerChannelArithmeticAfterAConvIntoItsWeights() {
        Graph before = graph();
        Graph after = new FoldScaleShift().apply(before);
        assertGolden("fold_scale_shift", before, after);
        assertCloseOutputs(before, after, TestGraph.randomInputs(before, 8), 1e-5);
    }

    @Test
    void stopsAtAKeptValue() {
        Graph before = graph();
        Graph after = new FoldScaleShift(java.util.Set.of("s1")).apply(before);
        org.assertj.core.api.Assertions.assertThat(PassAssertions.print(after)).contains("t1 = Add(s1, shift)");
        org.assertj.core.api.Assertions.assertThat(after.nodes()).anyMatch(n -> n.outputs().contains("s1"));
        assertCloseOutputs(before, after, TestGraph.randomInputs(before, 8), 1e-5);
    }
}
