package dev.octet.pass;

import static dev.octet.pass.PassAssertions.assertGolden;
import static dev.octet.pass.PassAssertions.assertSameOutputs;
import static dev.octet.pass.TestGraph.pads;
import static org.assertj.core.api.Assertions.assertThat;

import dev.octet.ir.Attribute;
import dev.octet.ir.Graph;
import dev.octet.ir.Layout;
import dev.octet.ir.Node;
import java.util.List;
import org.junit.jupiter.api.Test;

class RewriteLayoutTest {
    private static final Attribute K3 = Attribute.of("kernel_shape", 3L, 3L);

    /** Three convolutions with a ReLU between two of them, then a Flatten that needs the plain layout. */
    private static Graph chain() {
        return new TestGraph("layout_chain").input("x", 1, 3, 6, 6)
                .weight("w1", 16, 3, 3, 3).weight("b1", 16).weight("w2", 16, 16, 1, 1).weight("w3", 8, 16, 3, 3)
                .fusedConv("c1", List.of("x", "w1", "b1"), List.of("bias"), K3, pads(1))
                .node("Relu", "r1", List.of("c1"))
                .fusedConv("c2", List.of("r1", "w2", ""), List.of())
                .fusedConv("c3", List.of("c2", "w3", ""), List.of("relu"), K3, pads(1))
                .node("Flatten", "y", List.of("c3"))
                .output("y").build();
    }

    @Test
    void convertsAConvChainOnlyAtItsTwoEnds() {
        Graph before = chain();
        Graph after = new RewriteLayout().apply(before);
        assertGolden("layout_chain", before, after);
        assertThat(after.nodes().stream().filter(n -> n.opType().endsWith("Blocked")))
                .extracting(Node::opType).containsExactly("ToBlocked", "FromBlocked");
        assertSameOutputs(before, after, TestGraph.randomInputs(before, 9));
    }

    /**
     * A squeeze-and-excitation block: the pooled branch and the scaling Mul sit between convolutions and stay
     * blocked; the block's input is also a graph output, so it leaves the chain there too. A ReLU after the last
     * convolution is not between convolutions and stays plain.
     */
    private static Graph squeezeExcite() {
        return new TestGraph("layout_se").input("x", 1, 8, 4, 4)
                .weight("w1", 8, 8, 3, 3).weight("w2", 4, 8, 1, 1).weight("w3", 8, 4, 1, 1).weight("w4", 8, 8, 1, 1)
                .fusedConv("a", List.of("x", "w1", ""), List.of("hardswish"), K3, pads(1))
                .node("GlobalAveragePool", "p", List.of("a"))
                .fusedConv("s1", List.of("p", "w2", ""), List.of("relu"))
                .fusedConv("s2", List.of("s1", "w3", ""), List.of("hardsigmoid:0.16666667:0.5"))
                .node("Mul", "m", List.of("a", "s2"))
                .fusedConv("c", List.of("m", "w4", "", "a"), List.of("residual"))
                .node("Relu", "y", List.of("c"))
                .output("a").output("y").build();
    }

    @Test
    void keepsPerChannelNodesBetweenConvolutionsBlocked() {
        Graph before = squeezeExcite();
        Graph after = new RewriteLayout().apply(before);
        assertGolden("layout_se", before, after);
        assertThat(after.valueTypes().get("m").layout()).isEqualTo(Layout.NCHW8C);
        assertSameOutputs(before, after, TestGraph.randomInputs(before, 10));
    }

    @Test
    void leavesAGraphWithoutFusedConvolutionsAsItIs() {
        Graph g = new TestGraph("plain").input("x", 1, 8, 4, 4).node("Relu", "y", List.of("x")).output("y").build();
        assertThat(new RewriteLayout().apply(g)).isSameAs(g);
    }
}
