package dev.octet.pass;

import static dev.octet.pass.PassAssertions.assertGolden;
import static dev.octet.pass.PassAssertions.assertSameOutputs;
import static org.assertj.core.api.Assertions.assertThat;

import dev.octet.ir.Attribute;
import dev.octet.ir.DataType;
import dev.octet.ir.Graph;
import dev.octet.ir.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class FoldConstantsTest {
    /**
     * a·a reshaped folds; DequantizeLinear and Transpose of weights fold although they are larger than the limit;
     * an Expand of a small constant to a large tensor stays (folding it would only grow the model).
     */
    private static Graph graph() {
        long[] q = new long[32];
        for (int i = 0; i < q.length; i++) {
            q[i] = i * 7 % 255 - 127;
        }
        return new TestGraph("fold_constants").input("x", 16, 4)
                .weight("a", 4).ints("shape", 1, 4).ints("rows", 16, 4)
                .constant("wq", Tensor.ofLongs(DataType.INT8, new int[] {8, 4}, q)).scalar("wscale", 0.01f)
                .node("Mul", "a2", List.of("a", "a"))
                .node("Reshape", "a2r", List.of("a2", "shape"))
                .node("DequantizeLinear", "w", List.of("wq", "wscale"))
                .node("Transpose", "wt", List.of("w"), Attribute.of("perm", 1L, 0L))
                .node("Expand", "wide", List.of("a", "rows"))
                .node("Add", "y0", List.of("x", "a2r"))
                .node("MatMul", "y1", List.of("x", "wt"))
                .node("Add", "y2", List.of("wide", "x"))
                .output("y0").output("y1").output("y2").build();
    }

    @Test
    void foldsConstantNodesUpToTheLimitAndWeightPreparationBeyondIt() {
        Graph before = graph();
        Graph after = new FoldConstants(16).apply(before);
        assertGolden("fold_constants", before, after);
        assertSameOutputs(before, after, TestGraph.randomInputs(before, 1));
    }

    @Test
    void foldsEverythingConstantUnderTheDefaultLimit() {
        Graph after = new FoldConstants().apply(graph());
        assertThat(after.nodes()).extracting(n -> n.opType()).containsExactly("Add", "MatMul", "Add");
        assertThat(after.constants()).containsOnlyKeys("a2r", "wt", "wide");
    }

    @Test
    void leavesAGraphWithNothingToFoldAsItIs() {
        Graph g = new TestGraph("nothing").input("x", 2).node("Relu", "y", List.of("x")).output("y").build();
        assertThat(new FoldConstants().apply(g)).isSameAs(g);
    }
}
