package dev.octet.pass;

import static dev.octet.pass.PassAssertions.assertGolden;
import static dev.octet.pass.PassAssertions.assertSameOutputs;
import static org.assertj.core.api.Assertions.assertThat;

import dev.octet.ir.Attribute;
import dev.octet.ir.Graph;
import dev.octet.ir.Node;
import java.util.List;
import org.junit.jupiter.api.Test;

class RemoveExportNoiseTest {
    /** What an export of x.flatten(1) → relu looks like, with some extra noise. */
    private static Graph graph() {
        return new TestGraph("export_noise").input("x", 1, 3, 8, 8)
                .ints("zero", 0).ints("minus_one", -1).ints("flat_shape", 1, 192)
                .node("Shape", "s", List.of("x"))
                .node("Gather", "n", List.of("s", "zero"), Attribute.of("axis", 0L))
                .node("Concat", "shape", List.of("n", "minus_one"), Attribute.of("axis", 0L))
                .node("Reshape", "flat", List.of("x", "shape"))
                .node("Identity", "same", List.of("flat"))
                .node("Cast", "cast", List.of("same"), Attribute.of("to", 1L))
                .node("Reshape", "again", List.of("cast", "flat_shape"))
                .node("Relu", "r", List.of("again"))
                .node("Identity", "y", List.of("r"))
                .output("y").build();
    }

    @Test
    void foldsShapeChainsAndBypassesNodesThatComputeNothing() {
        Graph before = graph();
        Graph after = new RemoveExportNoise().apply(before);
        assertGolden("export_noise", before, after);
        assertSameOutputs(before, after, TestGraph.randomInputs(before, 2));
    }

    /** Dropout has no reference operator (its training mode is random), so this one is checked on the text alone. */
    @Test
    void bypassesAnInferenceDropout() {
        Graph g = new TestGraph("dropout").input("x", 2, 2)
                .node("Dropout", "d", List.of("x"))
                .node(new Node("d2", "Dropout", "", List.of("d", "ratio"), List.of("d2", ""),
                        dev.octet.ir.Attributes.empty()))
                .scalar("ratio", 0.5f)
                .node("Relu", "y", List.of("d2"))
                .output("y").build();
        assertThat(PassAssertions.print(new RemoveExportNoise().apply(g))).isEqualTo("""
                graph dropout (x: f32[2,2]) -> (y)  opsets {"":13}
                  y = Relu(x)
                  return y
                """);
    }

    @Test
    void keepsACastThatConvertsAndAReshapeThatReshapes() {
        Graph g = new TestGraph("kept").input("x", 2, 2).ints("shape", 4)
                .node("Cast", "c", List.of("x"), Attribute.of("to", 11L))
                .node("Reshape", "y", List.of("c", "shape"))
                .output("y").build();
        assertThat(new RemoveExportNoise().apply(g)).isSameAs(g);
    }

    @Test
    void keepsAnIdentityFromAGraphInputToAGraphOutput() {
        Graph g = new TestGraph("passthrough").input("x", 2).node("Identity", "y", List.of("x")).output("y").build();
        assertThat(new RemoveExportNoise().apply(g).nodes()).extracting(Node::opType).containsExactly("Identity");
    }
}
