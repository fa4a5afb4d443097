package dev.octet.ir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GraphTest {
    private static final TensorType X = TensorType.of(DataType.FLOAT, 1, 4);

    private static Graph graph(List<Node> nodes, String output) {
        return new Graph("g", List.of(new Value("x", X)), List.of(new Value(output, null)), nodes,
                Map.of("w", Tensor.ofFloats(new int[] {4}, 1, 2, 3, 4)), Map.of(), Map.of("", 13));
    }

    @Test
    void ordersNodesTopologicallyKeepingTheGivenOrderOtherwise() {
        Node add = Node.of("add", "Add", List.of("r", "w"), List.of("y"));
        Node relu = Node.of("relu", "Relu", List.of("x"), List.of("r"));
        Node neg = Node.of("neg", "Neg", List.of("x"), List.of("n"));
        Graph g = graph(List.of(add, neg, relu), "y");
        assertThat(g.nodes()).extracting(Node::name).containsExactly("neg", "relu", "add");
    }

    @Test
    void rejectsACycleNamingANodeOnIt() {
        Node a = Node.of("a", "Relu", List.of("b_out"), List.of("a_out"));
        Node b = Node.of("b", "Relu", List.of("a_out"), List.of("b_out"));
        assertThatThrownBy(() -> graph(List.of(a, b), "a_out"))
                .isInstanceOf(OctetException.class).hasMessageContaining("cycle").hasMessageContaining("node 'a'");
    }

    @Test
    void rejectsAValueProducedTwiceAndAnInputNobodyProduces() {
        Node a = Node.of("a", "Relu", List.of("x"), List.of("y"));
        Node b = Node.of("b", "Relu", List.of("x"), List.of("y"));
        assertThatThrownBy(() -> graph(List.of(a, b), "y")).hasMessageContaining("produced more than once");
        Node c = Node.of("c", "Relu", List.of("ghost"), List.of("y"));
        assertThatThrownBy(() -> graph(List.of(c), "y")).hasMessageContaining("'ghost' is not produced");
        assertThatThrownBy(() -> graph(List.of(a), "nothing")).hasMessageContaining("graph output 'nothing'");
    }

    @Test
    void printsAStableTextForm() throws IOException {
        Node relu = Node.of("relu", "Relu", List.of("x"), List.of("r"));
        Node conv = Node.of("conv", "Conv", List.of("r", "w", ""), List.of("y"),
                Attribute.of("strides", 2L, 2L), Attribute.of("auto_pad", "SAME_UPPER"), Attribute.of("group", 1L));
        Graph g = graph(List.of(conv, relu), "y");
        String expected;
        try (InputStream in = GraphTest.class.getResourceAsStream("/golden/ir/graph_printer.txt")) {
            expected = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(GraphPrinter.print(g, Map.of("r", X))).isEqualTo(expected);
    }
}
