package dev.octet.pass;

import static dev.octet.pass.PassAssertions.assertGolden;
import static dev.octet.pass.PassAssertions.assertSameOutputs;
import static org.assertj.core.api.Assertions.assertThat;

import dev.octet.ir.DataType;
import dev.octet.ir.Graph;
import dev.octet.ir.Node;
import dev.octet.testing.QdqGraphBuilder;
import dev.octet.testing.QdqGraphBuilder.Act;
import org.junit.jupiter.api.Test;

class FuseQuantizedMovementTest {
    @Test
    void runsMaxPoolConcatAndFlattenOnTheIntegers() {
        QdqGraphBuilder b = new QdqGraphBuilder("qdq_movement", 3);
        String x = b.input("x", 1, 3, 6, 6);
        String c1 = b.conv(x, 4, 3, 1, 1, 1, Act.RELU, DataType.UINT8, true);
        String c2 = b.conv(x, 2, 1, 1, 0, 1, Act.RELU, b.params(c1), true);
        String cat = b.concat(c1, c2);
        String pool = b.maxPool(cat, 3, 2, 1);
        String flat = b.flatten(pool);
        Graph before = b.build(flat);
        Graph after = new FuseQuantizedMovement().apply(before);
        assertGolden("fuse_quantized_movement", before, after);
        assertThat(after.nodes().stream().filter(n -> n.opType().equals("QuantizeLinear")).count()).isEqualTo(3);
        // Exact: each output is an input value, and Q(DQ(q)) = q.
        assertSameOutputs(before, after, QdqGraphBuilder.randomInputs(before, 9));
    }

    @Test
    void keepsAnOpWhoseInputAndOutputParametersDiffer() {
        QdqGraphBuilder b = new QdqGraphBuilder("qdq_rescale", 4);
        String x = b.input("x", 1, 3, 6, 6);
        String c1 = b.conv(x, 4, 3, 1, 1, 1, Act.RELU, DataType.UINT8, true);
        String c2 = b.conv(x, 4, 3, 1, 1, 1, Act.RELU, DataType.UINT8, false);
        Graph g = b.build(c1, c2);
        assertThat(b.params(c1)).isNotEqualTo(b.params(c2));
        Graph after = new FuseQuantizedMovement().apply(g);
        assertThat(after).isSameAs(g);
        assertThat(after.nodes()).extracting(Node::opType).contains("Conv");
    }
}
