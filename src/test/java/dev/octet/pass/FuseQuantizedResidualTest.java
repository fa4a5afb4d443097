package dev.octet.pass;

import static dev.octet.pass.PassAssertions.assertGolden;
import static org.assertj.core.api.Assertions.assertThat;

import dev.octet.ir.DataType;
import dev.octet.ir.Graph;
import dev.octet.ir.Node;
import dev.octet.ir.Tensor;
import dev.octet.runtime.ReferenceInterpreter;
import dev.octet.testing.QdqGraphBuilder;
import dev.octet.testing.QdqGraphBuilder.Act;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FuseQuantizedResidualTest {
    /**
     * Three residual adds after the integer fusions: (1) add(x, plain conv) + ReLU, the conv
     * fused and x the residual; (2) add of two convolutions, the later one fused, the earlier one the residual;
     * (3) an add whose convolution output is also a graph output, and (4) an add to s8: both left alone.
     */
    static Graph integerGraph() {
        QdqGraphBuilder b = new QdqGraphBuilder("qdq_residual", 3);
        String x = b.input("x", 1, 4, 5, 5);
        String c1 = b.conv(x, 4, 3, 1, 1, 1, Act.NONE, DataType.UINT8, false);
        String a1 = b.add(x, c1, true, DataType.UINT8);
        String c2 = b.conv(a1, 4, 1, 1, 0, 1, Act.RELU, DataType.UINT8, true);
        String c3 = b.conv(a1, 4, 3, 1, 1, 1, Act.CLIP, DataType.UINT8, false);
        String a2 = b.add(c2, c3, false, DataType.UINT8);
        String c4 = b.conv(a2, 4, 1, 1, 0, 1, Act.NONE, DataType.UINT8, false);
        String a3 = b.add(a2, c4, true, DataType.UINT8);
        String c5 = b.conv(a3, 4, 1, 1, 0, 1, Act.NONE, DataType.UINT8, false);
        String a4 = b.add(a3, c5, false, DataType.INT8);
        Graph qdq = b.build(a4, c4);
        return new FuseQuantizedAdd().apply(new FuseQuantizedConv().apply(qdq));
    }

    @Test
    void fusesEachResidualAddIntoTheLaterConvolutionBitForBit() {
        Graph before = integerGraph();
        Graph after = new FuseQuantizedResidual().apply(before);
        assertGolden("fuse_quantized_residual", before, after);
        assertThat(after.nodes()).filteredOn(n -> n.opType().equals("QLinearConvAdd")).extracting(Node::name)
                .containsExactly("add3", "add10"); // x + c1 and c6 + c8, named after their adds
        assertThat(after.nodes()).filteredOn(n -> n.opType().equals("QLinearConvAdd")).last()
                .satisfies(n -> assertThat(n.input(0)).isEqualTo("add3_relu_q")); // c8 fused, c6 the residual
        assertThat(after.nodes()).filteredOn(n -> n.opType().equals("QLinearAdd")).hasSize(2);
        for (long seed = 0; seed < 6; seed++) {
            Map<String, Tensor> in = QdqGraphBuilder.randomInputs(before, seed);
            Map<String, Tensor> expected = new ReferenceInterpreter(before).run(in);
            Map<String, Tensor> actual = new ReferenceInterpreter(after).run(in);
            for (String name : expected.keySet()) {
                assertThat(actual.get(name).type()).isEqualTo(expected.get(name).type());
                assertThat(actual.get(name).longs()).as(name).containsExactly(expected.get(name).longs());
            }
        }
    }

    @Test
    void aKeptConvolutionOutputIsNotFusedAway() {
        Graph before = integerGraph();
        Graph after = new FuseQuantizedResidual(java.util.Set.of("c8_clip_q")).apply(before);
        // c8's output stays computed: the earlier convolution c6 is fused instead, c8's output its residual
        assertThat(after.nodes()).filteredOn(n -> n.opType().equals("QLinearConvAdd")).extracting(Node::name)
                .containsExactly("add3", "add10");
        assertThat(after.nodes()).filteredOn(n -> n.name().equals("add10")).singleElement()
                .satisfies(n -> assertThat(List.of(n.input(3), n.input(11))).containsExactly("c6_w", "c8_clip_q"));
        assertThat(after.nodes()).flatExtracting(Node::outputs).contains("c8_clip_q");
    }

    @Test
    void returnsAGraphWithoutIntegerAddsUnchanged() {
        QdqGraphBuilder b = new QdqGraphBuilder("qdq_plain", 1);
        String x = b.input("x", 1, 4, 5, 5);
        Graph g = new FuseQuantizedConv().apply(b.build(b.conv(x, 4, 3, 1, 1, 1, Act.RELU, DataType.UINT8, true)));
        assertThat(new FuseQuantizedResidual().apply(g)).isSameAs(g);
    }
}
