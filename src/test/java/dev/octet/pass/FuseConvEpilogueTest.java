package dev.octet.pass;

import static dev.octet.pass.PassAssertions.assertCloseOutputs;
import static dev.octet.pass.PassAssertions.assertGolden;
import static dev.octet.pass.PassAssertions.assertSameOutputs;
import static dev.octet.pass.TestGraph.pads;
import static org.assertj.core.api.Assertions.assertThat;

import dev.octet.ir.Attribute;
import dev.octet.ir.DataType;
import dev.octet.ir.Dim;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.Graph;
import dev.octet.ir.Node;
import java.util.List;
import org.junit.jupiter.api.Test;

class FuseConvEpilogueTest {
    private static final Attribute K3 = Attribute.of("kernel_shape", 3L, 3L);

    /** Every step of the vocabulary, each as an ONNX operator the references compute bit for bit alike. */
    private static Graph exactSteps() {
        return new TestGraph("fuse_conv").input("x", 1, 8, 6, 6)
                .weight("w1", 8, 8, 3, 3).weight("b1", 8).weight("w2", 8, 8, 3, 3).weight("b2", 8)
                .weight("w3", 8, 8, 3, 3).weight("w4", 8, 8, 1, 1).weight("b4", 8).weight("w5", 8, 8, 1, 1)
                .scalar("zero", 0).scalar("six", 6)
                .node("Conv", "c1", List.of("x", "w1", "b1"), K3, pads(1))
                .node("Relu", "a", List.of("c1"))
                .node("Conv", "c2", List.of("a", "w2", "b2"), K3, pads(1))
                .node("HardSwish", "h", List.of("c2"))
                .node("Conv", "c3", List.of("h", "w3"), K3, pads(1))
                .node("Add", "r", List.of("a", "c3"))
                .node("Clip", "y", List.of("r", "zero", "six"))
                .node("Conv", "c4", List.of("y", "w4", "b4"))
                .node("HardSigmoid", "g", List.of("c4"), Attribute.of("alpha", 0.2f))
                .node("Mul", "se", List.of("y", "g"))
                .node("Conv", "c5", List.of("x", "w5"))
                .node("Relu", "r5", List.of("c5"))
                .output("se").output("c5").output("r5").opset(14).build();
    }

    /**
     * PP-OCR's dynamic sizes: after a stride-2 conv of a symbolic height and width, shape inference knows no sizes,
     * but a residual Add of the block's input and a size-keeping conv's result is provably of one shape and fuses.
     * An Add whose operands come from differently shaped windows (3×3 pad 1 and 1×1 pad 0, both stride 2: equal
     * sizes, but not proved by how they are computed) is left alone: the proof is conservative.
     */
    private static Graph symbolicSizes() {
        TensorType x = new TensorType(DataType.FLOAT, List.of(Dim.unknown(), Dim.of(8), Dim.symbol("h"),
                Dim.symbol("w")));
        Attribute s2 = Attribute.of("strides", 2L, 2L);
        return new TestGraph("fuse_conv_symbolic").input("x", x)
                .weight("w1", 8, 8, 3, 3).weight("b1", 8).weight("w2", 8, 8, 1, 1).weight("w3", 8, 8, 3, 3)
                .weight("w4", 8, 8, 1, 1)
                .node("Conv", "c1", List.of("x", "w1", "b1"), K3, pads(1), s2)
                .node("Relu", "a", List.of("c1"))
                .node("Conv", "c2", List.of("a", "w2"))
                .node("Add", "r", List.of("a", "c2"))
                .node("Conv", "c3", List.of("r", "w3"), K3, pads(1))
                .node("Conv", "c4", List.of("x", "w4"), s2)
                .node("Relu", "a4", List.of("c4"))
                .node("Add", "y", List.of("c3", "a4"))
                .output("r").output("y").build();
    }

    @Test
    void fusesAResidualWhoseShapeIsProvedThroughSymbolicSizes() {
        Graph before = symbolicSizes();
        Graph after = new FuseConvEpilogue().apply(before);
        assertGolden("fuse_conv_symbolic", before, after);
        assertThat(after.nodes()).filteredOn(n -> n.opType().equals("Add")).extracting(n -> n.outputs().get(0))
                .containsExactly("y");
        Tensor x = TestGraph.random(new java.util.Random(5), 1, 8, 9, 8);
        assertSameOutputs(before, after, java.util.Map.of("x", x));
    }

    @Test
    void fusesEachConvWithTheStepsAfterIt() {
        Graph before = exactSteps();
        Graph after = new FuseConvEpilogue().apply(before);
        assertGolden("fuse_conv", before, after);
        assertSameOutputs(before, after, TestGraph.randomInputs(before, 3));
    }

    /** x·Clip(x+3, 0, 6)/6 and x·HardSigmoid(x) become "hardswish", whose rounding differs by an ulp or so. */
    private static Graph exportedHardSwish() {
        return new TestGraph("fuse_conv_hardswish").input("x", 1, 8, 6, 6)
                .weight("w1", 8, 8, 3, 3).weight("b1", 8).weight("w2", 8, 8, 1, 1).weight("w3", 8, 8, 1, 1)
                .scalar("zero", 0).scalar("three", 3).scalar("six", 6)
                .node("Conv", "c1", List.of("x", "w1", "b1"), K3, pads(1))
                .node("Add", "t", List.of("c1", "three"))
                .node("Clip", "k", List.of("t", "zero", "six"))
                .node("Mul", "m", List.of("c1", "k"))
                .node("Div", "h1", List.of("m", "six"))
                .node("Conv", "c2", List.of("h1", "w2"))
                .node("HardSigmoid", "s", List.of("c2"), Attribute.of("alpha", 1f / 6), Attribute.of("beta", 0.5f))
                .node("Mul", "h2", List.of("s", "c2"))
                .node("Conv", "c3", List.of("h2", "w3"))
                .node("Add", "t3", List.of("three", "c3"))
                .node("Clip", "k3", List.of("t3", "zero", "six"))
                .node("Div", "d3", List.of("k3", "six"))
                .node("Mul", "y", List.of("c3", "d3"))
                .output("y").build();
    }

    @Test
    void recognisesHardSwishInItsExportedForms() {
        Graph before = exportedHardSwish();
        Graph after = new FuseConvEpilogue().apply(before);
        assertGolden("fuse_conv_hardswish", before, after);
        assertCloseOutputs(before, after, TestGraph.randomInputs(before, 4), 1e-6);
    }

    @Test
    void fusesAResidualOnlyWhereTheOtherOperandHasTheConvOutputsShape() {
        Graph g = new TestGraph("broadcast_add").input("x", 1, 8, 6, 6).weight("w", 8, 8, 1, 1)
                .node("GlobalAveragePool", "p", List.of("x"))
                .node("Conv", "c", List.of("x", "w"))
                .node("Add", "y", List.of("c", "p"))
                .output("y").build();
        Graph after = new FuseConvEpilogue().apply(g);
        assertThat(after.nodes()).extracting(Node::opType).containsExactly("GlobalAveragePool", "FusedConv", "Add");
        assertSameOutputs(g, after, TestGraph.randomInputs(g, 5));
    }

    @Test
    void letsTheLaterOfTwoConvolutionsTakeTheAddThatJoinsThem() {
        Graph g = new TestGraph("join").input("x", 1, 8, 4, 4).weight("w1", 8, 8, 1, 1).weight("w2", 8, 8, 1, 1)
                .node("Conv", "c1", List.of("x", "w1"))
                .node("Conv", "c2", List.of("x", "w2"))
                .node("Add", "s", List.of("c1", "c2"))
                .node("Relu", "y", List.of("s"))
                .output("y").build();
        Graph after = new FuseConvEpilogue().apply(g);
        assertThat(PassAssertions.print(after)).contains(
                "c1 = octet.FusedConv(x, w1, _) {epilogue=[]}",
                "y = octet.FusedConv(x, w2, _, c1) {epilogue=[residual, relu]}");
        assertSameOutputs(g, after, TestGraph.randomInputs(g, 6));
    }

    @Test
    void stopsAtAKeptValueSoThatItStaysStored() {
        Graph g = new TestGraph("kept").input("x", 1, 8, 4, 4).weight("w1", 8, 8, 1, 1).weight("w2", 8, 8, 1, 1)
                .node("Conv", "c1", List.of("x", "w1"))
                .node("Conv", "c2", List.of("x", "w2"))
                .node("Add", "s", List.of("c1", "c2"))
                .node("Relu", "y", List.of("s"))
                .output("y").build();
        Graph keepConv = new FuseConvEpilogue(java.util.Set.of("c2")).apply(g);
        assertThat(PassAssertions.print(keepConv)).contains(
                "c2 = octet.FusedConv(x, w2, _) {epilogue=[]}",
                "y = octet.FusedConv(x, w1, _, c2) {epilogue=[residual, relu]}");
        Graph keepSum = new FuseConvEpilogue(java.util.Set.of("s")).apply(g);
        assertThat(PassAssertions.print(keepSum)).contains(
                "s = octet.FusedConv(x, w2, _, c1) {epilogue=[residual]}", "y = Relu(s)");
        assertSameOutputs(g, keepConv, TestGraph.randomInputs(g, 6));
        assertSameOutputs(g, keepSum, TestGraph.randomInputs(g, 6));
    }
}
