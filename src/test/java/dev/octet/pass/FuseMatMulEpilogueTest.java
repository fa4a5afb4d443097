package dev.octet.pass;

import static dev.octet.pass.PassAssertions.assertGolden;
import static dev.octet.pass.PassAssertions.assertSameOutputs;

import dev.octet.ir.Graph;
import java.util.List;
import org.junit.jupiter.api.Test;

class FuseMatMulEpilogueTest {
    /** Linear layers as exporters write them: MatMul, Add of a bias vector, then an activation or a shortcut. */
    private static Graph graph() {
        return new TestGraph("fuse_matmul").input("x", 2, 5, 4)
                .weight("w1", 4, 6).weight("b1", 6).weight("w2", 6, 4).weight("b2", 4).weight("w3", 4, 4)
                .node("MatMul", "m1", List.of("x", "w1"))
                .node("Add", "l1", List.of("m1", "b1"))
                .node("Relu", "h", List.of("l1"))
                .node("MatMul", "m2", List.of("h", "w2"))
                .node("Add", "l2", List.of("b2", "m2"))
                .node("Add", "y", List.of("x", "l2"))
                .node("MatMul", "z", List.of("y", "w3"))
                .output("z").build();
    }

    @Test
    void fusesBiasActivationAndShortcutIntoTheMatMul() {
        Graph before = graph();
        Graph after = new FuseMatMulEpilogue().apply(before);
        assertGolden("fuse_matmul", before, after);
        assertSameOutputs(before, after, TestGraph.randomInputs(before, 7));
    }

    @Test
    void leavesAKeptProductOrSumStored() {
        Graph before = graph();
        Graph keepProduct = new FuseMatMulEpilogue(java.util.Set.of("m1", "l2")).apply(before);
        org.assertj.core.api.Assertions.assertThat(PassAssertions.print(keepProduct)).contains(
                "m1 = MatMul(x, w1)", "l2 = octet.FusedMatMul(h, w2, b2) {epilogue=[bias]}", "y = Add(x, l2)");
        assertSameOutputs(before, keepProduct, TestGraph.randomInputs(before, 7));
    }
}
