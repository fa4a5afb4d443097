package dev.octet.pass;

import static dev.octet.pass.PassAssertions.assertGolden;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.octet.ir.DataType;
import dev.octet.ir.Dim;
import dev.octet.ir.Graph;
import dev.octet.ir.OctetException;
import dev.octet.ir.TensorType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BindInputShapesTest {
    private static Graph graph() {
        return new TestGraph("bind").input("x", new TensorType(DataType.FLOAT,
                        List.of(Dim.symbol("batch"), Dim.of(3), Dim.unknown(), Dim.symbol("width"))))
                .node("Relu", "y", List.of("x")).output("y").build();
    }

    @Test
    void givesTheInputsTheirConcreteTypes() {
        Graph before = graph();
        Graph after = new BindInputShapes(Map.of("x", TensorType.of(DataType.FLOAT, 1, 3, 48, 320))).apply(before);
        assertGolden("bind_input_shapes", before, after);
    }

    @Test
    void rejectsATypeThatContradictsTheDeclaredOneOrAnUnknownInput() {
        assertThatThrownBy(() -> new BindInputShapes(Map.of("x", TensorType.of(DataType.FLOAT, 1, 4, 48, 320)))
                .apply(graph())).isInstanceOf(OctetException.class)
                .hasMessage("input 'x' is declared f32[batch,3,?,width], cannot bind it to f32[1,4,48,320]");
        assertThatThrownBy(() -> new BindInputShapes(Map.of("image", TensorType.of(DataType.FLOAT, 1)))
                .apply(graph())).isInstanceOf(OctetException.class).hasMessage("the graph has no input named [image]");
    }
}
