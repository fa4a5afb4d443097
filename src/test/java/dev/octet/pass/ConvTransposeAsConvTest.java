package dev.octet.pass;

import static dev.octet.pass.PassAssertions.assertCloseOutputs;
import static dev.octet.pass.PassAssertions.assertGolden;
import static org.assertj.core.api.Assertions.assertThat;

import dev.octet.ir.Attribute;
import dev.octet.ir.Graph;
import dev.octet.ir.Node;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConvTransposeAsConvTest {
    /**
     * PP-OCR det's head: ConvTranspose 2×2/2, Add of a per-channel bias, BatchNormalization, Relu, and a second
     * ConvTranspose with a bias input whose Sigmoid is a graph output. A ConvTranspose with overlapping blocks
     * (kernel 3, stride 2) stays.
     */
    private static Graph graph() {
        TestGraph b = new TestGraph("conv_transpose_as_conv").input("x", 1, 3, 5, 4)
                .weight("w1", 3, 4, 2, 2).weight("b1", 4, 1, 1).weight("w2", 4, 2, 2, 2).weight("b2", 2)
                .weight("w3", 2, 2, 3, 3)
                .weight("bn_scale", 0.5, 1.5, 4).weight("bn_bias", 4).weight("bn_mean", 4)
                .weight("bn_var", 0.1, 2, 4);
        Attribute k2 = Attribute.of("kernel_shape", 2L, 2L);
        Attribute s2 = Attribute.of("strides", 2L, 2L);
        return b.node("ConvTranspose", "t1", List.of("x", "w1"), k2, s2, Attribute.of("pads", 0L, 0L, 0L, 0L))
                .node("Add", "a1", List.of("t1", "b1"))
                .node(Node.of("bn", "BatchNormalization", List.of("a1", "bn_scale", "bn_bias", "bn_mean", "bn_var"),
                        List.of("n1"), Attribute.of("epsilon", 1e-5f)))
                .node("Relu", "r1", List.of("n1"))
                .node("ConvTranspose", "t2", List.of("r1", "w2", "b2"), k2, s2)
                .node("Sigmoid", "y", List.of("t2"))
                .node("ConvTranspose", "t3", List.of("y", "w3"), Attribute.of("kernel_shape", 3L, 3L), s2)
                .output("y").output("t3").build();
    }

    @Test
    void rewritesNonOverlappingConvTransposeAsConvAndDepthToSpace() {
        Graph before = graph();
        Graph after = new ConvTransposeAsConv().apply(before);
        assertGolden("conv_transpose_as_conv", before, after);
        assertCloseOutputs(before, after, TestGraph.randomInputs(before, 3), 1e-5);
        assertThat(after.nodes()).filteredOn(n -> n.opType().equals("ConvTranspose")).hasSize(1);
    }

    @Test
    void theMovedNodesFoldIntoTheConvolution() {
        Graph before = graph();
        Graph after = new PassPipeline(List.of(new ConvTransposeAsConv(), new FoldScaleShift(), new FoldBatchNorm(),
                new FuseConvEpilogue())).apply(before);
        assertThat(after.nodes()).noneMatch(n -> n.opType().matches("Add|BatchNormalization|Relu"));
        assertCloseOutputs(before, after, TestGraph.randomInputs(before, 4), 1e-5);
    }
}
