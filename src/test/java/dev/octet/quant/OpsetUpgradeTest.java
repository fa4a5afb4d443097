package dev.octet.quant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.octet.ir.Attribute;
import dev.octet.ir.DataType;
import dev.octet.ir.Graph;
import dev.octet.ir.GraphPrinter;
import dev.octet.ir.Node;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.Value;
import dev.octet.runtime.ReferenceInterpreter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OpsetUpgradeTest {
    private static Graph graph(int opset, long softmaxAxis) {
        List<Node> nodes = List.of(
                Node.of("u", "Unsqueeze", List.of("x"), List.of("u"), Attribute.of("axes", new long[] {0})),
                Node.of("s", "Squeeze", List.of("u"), List.of("s"), Attribute.of("axes", new long[] {0})),
                Node.of("r", "ReduceSum", List.of("s"), List.of("r"), Attribute.of("axes", new long[] {1}),
                        Attribute.of("keepdims", 1L)),
                Node.of("y", "Softmax", List.of("s"), List.of("y"), Attribute.of("axis", softmaxAxis)));
        return new Graph("g", List.of(new Value("x", TensorType.of(DataType.FLOAT, 2, 3))),
                List.of(new Value("y", null), new Value("r", null)), nodes, Map.of(), Map.of(), Map.of("", opset));
    }

    @Test
    void movesAxesToInputsAndKeepsTheMeaning() {
        Graph before = graph(11, 1);
        Graph after = OpsetUpgrade.toQdqOpset(before);
        assertThat(after.opset("")).isEqualTo(13);
        assertThat(GraphPrinter.print(after)).contains("u = Unsqueeze(x, u_axes)").contains("s = Squeeze(u, s_axes)")
                .contains("r = ReduceSum(s, r_axes) {keepdims=1}");
        Map<String, Tensor> in = Map.of("x", Tensor.ofFloats(new int[] {2, 3}, 1, 2, 3, -1, 0, 5));
        Map<String, Tensor> a = new ReferenceInterpreter(before).run(in);
        Map<String, Tensor> b = new ReferenceInterpreter(after).run(in);
        assertThat(b.get("y").sameAs(a.get("y"))).isTrue();
        assertThat(b.get("r").sameAs(a.get("r"))).isTrue();
    }

    @Test
    void aSoftmaxWhoseMeaningChangesIsOneClearError() {
        assertThatThrownBy(() -> OpsetUpgrade.toQdqOpset(graph(11, 0))).isInstanceOf(QuantizationException.class)
                .hasMessageContaining("means something else at opset 13");
        assertThatThrownBy(() -> OpsetUpgrade.toQdqOpset(graph(10, 1))).isInstanceOf(QuantizationException.class)
                .hasMessageContaining("opset 11 or 12 only");
    }
}
