package dev.octet.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.octet.ir.DataType;
import dev.octet.ir.Dim;
import dev.octet.ir.Graph;
import dev.octet.ir.OctetException;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.Value;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InputBindingTest {
    private static Graph graph(Value... inputs) {
        return new Graph("g", List.of(inputs), List.of(new Value(inputs[0].name(), null)), List.of(), Map.of(),
                Map.of(), Map.of("", 13));
    }

    private static Value input(String name, Dim... dims) {
        return new Value(name, new TensorType(DataType.FLOAT, List.of(dims)));
    }

    private static Tensor floats(int... shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return Tensor.ofFloats(shape, new float[n]);
    }

    @Test
    void questionMarkDimensionsAreUnknownNotOneSharedSymbol() {
        // PP-OCR's models declare x: f32[?,3,?,?]; height and width differ.
        Graph g = graph(input("x", Dim.symbol("?"), Dim.of(3), Dim.symbol("?"), Dim.symbol("?")));
        Map<String, TensorType> types = InputBinding.bind(g, Map.of("x", floats(1, 3, 48, 192)));
        assertThat(types.get("x").shape()).containsExactly(1, 3, 48, 192);
    }

    @Test
    void aNamedDimensionMustHaveOneSizeAcrossInputs() {
        Graph g = graph(input("a", Dim.symbol("N"), Dim.of(2)), input("b", Dim.symbol("N")));
        assertThat(InputBinding.bind(g, Map.of("a", floats(5, 2), "b", floats(5)))).hasSize(2);
        assertThatThrownBy(() -> InputBinding.bind(g, Map.of("a", floats(5, 2), "b", floats(4))))
                .isInstanceOf(OctetException.class).hasMessageContaining("input 'b'")
                .hasMessageContaining("dimension 'N' is 4 here but 5");
    }

    @Test
    void anInputThatIsNotTheModelsIsNamedWithTheModelsInputs() {
        Graph g = graph(input("x", Dim.of(2)));
        assertThatThrownBy(() -> InputBinding.bind(g, Map.of("x", floats(2), "y", floats(2))))
                .isInstanceOf(OctetException.class).hasMessageContaining("'y' is not an input")
                .hasMessageContaining("[x]");
    }
}
