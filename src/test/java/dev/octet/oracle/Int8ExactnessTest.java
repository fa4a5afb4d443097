package dev.octet.oracle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.octet.ir.Attributes;
import dev.octet.ir.DataType;
import dev.octet.ir.Graph;
import dev.octet.ir.Node;
import dev.octet.ir.OctetException;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.Value;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which tensors the int8 check compares, and how differences are counted in units. */
class Int8ExactnessTest {
    private static final Tensor SCALE = Tensor.ofFloats(new int[0], 0.1f);
    private static final Tensor ZERO = Tensor.ofLongs(DataType.UINT8, new int[0], 0);

    /** x → Q → a → DQ → Relu → Q → b → DQ → c (float output); a also feeds a DQ that is re-quantized. */
    private static Graph chain() {
        List<Node> nodes = List.of(
                node("QuantizeLinear", List.of("x", "s", "z"), "a"),
                node("DequantizeLinear", List.of("a", "s", "z"), "a_f"),
                node("Relu", List.of("a_f"), "r"),
                node("QuantizeLinear", List.of("r", "s", "z"), "b"),
                node("DequantizeLinear", List.of("b", "s", "z"), "b_f"),
                node("DequantizeLinear", List.of("w", "s", "z"), "w_f"),
                node("Add", List.of("b_f", "w_f"), "c"));
        TensorType t = TensorType.of(DataType.FLOAT, 4);
        return new Graph("chain", List.of(new Value("x", t)), List.of(new Value("c", t)), nodes,
                Map.of("s", SCALE, "z", ZERO, "w", Tensor.ofLongs(DataType.UINT8, new int[] {4}, 1, 2, 3, 4)),
                Map.of(), Map.of("", 13));
    }

    private static Node node(String op, List<String> in, String out) {
        return new Node(out, op, "", in, List.of(out), Attributes.of());
    }

    @Test
    void comparesTheLastQuantizedActivationsOnlyNeitherEarlierOnesNorConstants() {
        assertThat(Int8Exactness.lastInt8Tensors(chain())).containsExactly("b");
        assertThat(Int8Exactness.allInt8Tensors(chain())).containsExactly("a", "b");
    }

    @Test
    void eachInt8TensorComesFromTheNearestInt8TensorsUpstreamThroughFloatSteps() {
        Map<String, java.util.Set<String>> from = Int8Exactness.int8Inputs(chain());
        assertThat(from.get("a")).isEmpty();
        assertThat(from.get("b")).containsExactly("a");
    }

    @Test
    void countsEqualOffByOneAndOffByMoreElementsOverRuns() {
        Int8Exactness e = Int8Exactness.empty(List.of("b"));
        Tensor mine = Tensor.ofLongs(DataType.UINT8, new int[] {4}, 0, 10, 255, 7);
        Tensor theirs = Tensor.ofLongs(DataType.UINT8, new int[] {4}, 0, 11, 254, 7);
        e = e.plus(Map.of("b", mine), Map.of("b", theirs));
        assertThat(e.withinOneUnit()).isTrue();
        assertThat(e.offByOne()).isEqualTo(2);
        e = e.plus(Map.of("b", mine), Map.of("b", Tensor.ofLongs(DataType.UINT8, new int[] {4}, 3, 10, 255, 7)));
        assertThat(e.elements()).isEqualTo(8);
        assertThat(e.offByMore()).isEqualTo(1);
        assertThat(e.maxUnits()).isEqualTo(3);
        assertThat(e.withinOneUnit()).isFalse();
        assertThat(e.describe()).contains("8 int8 elements of b: 5 equal, 2 off by one unit, 1 off by more (max 3)");
    }

    @Test
    void aFloatModelOrAMissingTensorIsOneClearError() {
        Graph f = new Graph("float", List.of(new Value("x", TensorType.of(DataType.FLOAT, 4))),
                List.of(new Value("y", TensorType.of(DataType.FLOAT, 4))), List.of(node("Relu", List.of("x"), "y")),
                Map.of(), Map.of(), Map.of("", 13));
        assertThatThrownBy(() -> Int8Exactness.lastInt8Tensors(f)).isInstanceOf(OctetException.class)
                .hasMessageContaining("not a QDQ model");
        assertThatThrownBy(() -> Int8Exactness.empty(List.of("b")).plus(Map.of(), Map.of("b", ZERO)))
                .isInstanceOf(OctetException.class).hasMessageContaining("'b' was not returned by Octet");
    }
}
