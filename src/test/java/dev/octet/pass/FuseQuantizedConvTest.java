package dev.octet.pass;

import static dev.octet.pass.PassAssertions.assertGolden;
import static org.assertj.core.api.Assertions.assertThat;

import dev.octet.ir.DataType;
import dev.octet.ir.Graph;
import dev.octet.ir.Node;
import dev.octet.ir.Tensor;
import dev.octet.testing.QdqGraphBuilder;
import dev.octet.testing.QdqGraphBuilder.Act;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FuseQuantizedConvTest {
    /**
     * Conv+ReLU to u8 (zero point 0: the ReLU is the type's own clamp), Conv+Clip to u8 (both bounds inside the
     * range), a strided grouped Conv to s8, Conv+ReLU to s8 (clamp [0, 127]).
     */
    static Graph convs() {
        QdqGraphBuilder b = new QdqGraphBuilder("qdq_conv", 1);
        String x = b.input("x", 1, 4, 6, 6);
        String r = b.conv(x, 8, 3, 1, 1, 1, Act.RELU, DataType.UINT8, true);
        String c = b.conv(r, 8, 3, 1, 1, 1, Act.CLIP, DataType.UINT8, false);
        String s = b.conv(c, 4, 3, 2, 1, 2, Act.NONE, DataType.INT8, false);
        String t = b.conv(c, 4, 1, 1, 0, 1, Act.RELU, DataType.INT8, true);
        return b.build(s, r, t);
    }

    @Test
    void fusesEachDequantizeConvQuantizeGroupIntoOneIntegerConv() {
        Graph before = convs();
        Graph after = new FuseQuantizedConv().apply(before);
        assertGolden("fuse_quantized_conv", before, after);
        assertThat(after.nodes()).extracting(Node::opType)
                .containsExactly("QuantizeLinear", "QLinearConv", "ClampedQLinearConv", "QLinearConv",
                "ClampedQLinearConv");
        int differing = QuantizedOutputs.assertWithinOneUnit(before, after, QdqGraphBuilder.randomInputs(before, 7));
        System.out.println("fuse_quantized_conv: " + differing + " elements differ by one unit from the float group");
    }

    @Test
    void leavesAConvWhoseBiasScaleIsNotInputTimesWeightScaleFloat() {
        Graph g = convs();
        List<Node> nodes = new ArrayList<>(g.nodes());
        var constants = new java.util.LinkedHashMap<>(g.constants());
        float[] bs = constants.get("c1_b_scale").floats().clone();
        bs[3] = Math.nextUp(bs[3]);
        constants.put("c1_b_scale", Tensor.ofFloats(new int[] {bs.length}, bs));
        Graph off = new Graph(g.name(), g.inputs(), g.outputs(), nodes, constants, g.valueTypes(), g.opsets());
        Graph after = new FuseQuantizedConv().apply(off);
        assertThat(after.nodes()).filteredOn(n -> n.name().equals("c1")).extracting(Node::opType)
                .containsExactly("Conv");
        assertThat(after.nodes()).filteredOn(n -> n.opType().endsWith("QLinearConv")).hasSize(3);
    }

    @Test
    void returnsAGraphWithoutQuantizeLinearUnchanged() {
        Graph g = new TestGraph("float").input("x", 1, 2, 4, 4).weight("w", 2, 2, 1, 1)
                .node("Conv", "y", List.of("x", "w")).output("y").build();
        assertThat(new FuseQuantizedConv().apply(g)).isSameAs(g);
        assertThat(new FuseQuantizedAdd().apply(g)).isSameAs(g);
        assertThat(new FuseQuantizedMovement().apply(g)).isSameAs(g);
    }
}
