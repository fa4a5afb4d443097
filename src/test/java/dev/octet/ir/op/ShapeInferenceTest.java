package dev.octet.ir.op;

import static org.assertj.core.api.Assertions.assertThat;

import dev.octet.ir.Attribute;
import dev.octet.ir.DataType;
import dev.octet.ir.Dim;
import dev.octet.ir.Graph;
import dev.octet.ir.Node;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.Value;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShapeInferenceTest {
    /** x → Shape → Gather(0) → Unsqueeze → Concat with [-1] → Reshape(x): flattening as exporters write it. */
    private static Graph flattenChain(TensorType input) {
        List<Node> nodes = List.of(
                Node.of("shape", "Shape", List.of("x"), List.of("s")),
                Node.of("gather", "Gather", List.of("s", "zero"), List.of("n")),
                Node.of("unsqueeze", "Unsqueeze", List.of("n", "axes"), List.of("n1")),
                Node.of("concat", "Concat", List.of("n1", "minus_one"), List.of("target"), Attribute.of("axis", 0L)),
                Node.of("reshape", "Reshape", List.of("x", "target"), List.of("y")));
        Map<String, Tensor> constants = Map.of(
                "zero", Tensor.ofLongs(DataType.INT64, new int[0], 0),
                "axes", Tensor.int64Vector(0),
                "minus_one", Tensor.int64Vector(-1));
        return new Graph("g", List.of(new Value("x", input)), List.of(new Value("y", null)), nodes, constants,
                Map.of(), Map.of("", 13));
    }

    @Test
    void shapeOfAStaticInputFoldsSoTheReshapeTargetIsKnown() {
        ShapeInference.Result r = ShapeInference.infer(flattenChain(TensorType.of(DataType.FLOAT, 2, 3, 4, 5)),
                Map.of());
        assertThat(r.constants().get("s").longs()).containsExactly(2, 3, 4, 5);
        assertThat(r.constants().get("target").longs()).containsExactly(2, -1);
        assertThat(r.type("y")).hasToString("f32[2,60]");
    }

    @Test
    void shapeOfASymbolicInputIsNotFolded() {
        TensorType symbolic = new TensorType(DataType.FLOAT,
                List.of(Dim.symbol("N"), Dim.of(3), Dim.of(4), Dim.of(5)));
        ShapeInference.Result r = ShapeInference.infer(flattenChain(symbolic), Map.of());
        assertThat(r.constants()).doesNotContainKeys("s", "n", "target");
        assertThat(r.type("target")).hasToString("i64[2]");
        assertThat(r.type("y")).hasToString("f32[?,?]");
        // Binding the input's shape, as running the model does, resolves it.
        ShapeInference.Result bound = ShapeInference.infer(flattenChain(symbolic),
                Map.of("x", TensorType.of(DataType.FLOAT, 7, 3, 4, 5)));
        assertThat(bound.type("y")).hasToString("f32[7,60]");
    }
}
