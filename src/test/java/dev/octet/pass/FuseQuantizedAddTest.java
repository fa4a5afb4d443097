package dev.octet.pass;

import static dev.octet.pass.PassAssertions.assertGolden;
import static org.assertj.core.api.Assertions.assertThat;

import dev.octet.ir.DataType;
import dev.octet.ir.Graph;
import dev.octet.ir.Node;
import dev.octet.testing.QdqGraphBuilder;
import dev.octet.testing.QdqGraphBuilder.Act;
import org.junit.jupiter.api.Test;

class FuseQuantizedAddTest {
    @Test
    void fusesADequantizedAddWithItsReluIntoOneIntegerAdd() {
        QdqGraphBuilder b = new QdqGraphBuilder("qdq_add", 2);
        String x = b.input("x", 1, 4, 5, 5);
        String c = b.conv(x, 4, 3, 1, 1, 1, Act.NONE, DataType.UINT8, false);
        String relu = b.add(x, c, true, DataType.UINT8);
        String plain = b.add(relu, c, false, DataType.INT8);
        Graph before = b.build(plain);
        Graph after = new FuseQuantizedAdd().apply(before);
        assertGolden("fuse_quantized_add", before, after);
        assertThat(after.nodes()).extracting(Node::opType).containsSubsequence("QLinearAdd", "QLinearAdd")
                .doesNotContain("Add", "Relu");
        // The adds are the same computation in another fp32 order: at most one unit apart.
        QuantizedOutputs.assertWithinOneUnit(before, after, QdqGraphBuilder.randomInputs(before, 8));
    }
}
