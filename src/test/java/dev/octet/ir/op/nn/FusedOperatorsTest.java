package dev.octet.ir.op.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.octet.ir.Attribute;
import dev.octet.ir.Attributes;
import dev.octet.ir.Graph;
import dev.octet.ir.Layout;
import dev.octet.ir.Node;
import dev.octet.ir.OctetException;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.Value;
import dev.octet.ir.op.ShapeInference;
import dev.octet.runtime.ReferenceInterpreter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FusedOperatorsTest {
    private static final Tensor W = Tensor.ofFloats(new int[] {2, 1, 1, 1}, 1f, -2f);
    private static final Tensor X = Tensor.ofFloats(new int[] {1, 1, 1, 3}, -1f, 0.5f, 4f);

    private static Graph fused(List<String> inputs, List<String> epilogue) {
        Node n = new Node("f", "FusedConv", "octet", inputs, List.of("y"),
                Attributes.of(Attribute.ofStrings("epilogue", epilogue)));
        return new Graph("g", List.of(new Value("x", X.type()), new Value("r", TensorType.of(X.dtype(), 1, 2, 1, 3))),
                List.of(new Value("y", null)), List.of(n), Map.of("w", W, "b", Tensor.ofFloats(new int[] {2}, 1f, 0f)),
                Map.of(), Map.of("", 17, "octet", 1));
    }

    @Test
    void appliesTheStepsInOrderAfterTheConvolution() {
        Tensor r = Tensor.ofFloats(new int[] {1, 2, 1, 3}, 0f, 0f, 0f, 10f, 10f, 10f);
        Graph g = fused(List.of("x", "w", "b", "r"), List.of("bias", "relu", "residual", "clip:-1.0:11.0"));
        Tensor y = new ReferenceInterpreter(g).run(Map.of("x", X, "r", r)).get("y");
        // conv: [-1, .5, 4] and [2, -1, -8]; bias +1/+0; relu; +residual; clip to [-1, 11].
        assertThat(y.floats()).containsExactly(0f, 1.5f, 5f, 11f, 10f, 10f);
    }

    @Test
    void computesHardSigmoidAndHardSwishAsTheOnnxOperatorsDo() {
        Graph g = fused(List.of("x", "w", ""), List.of("hardsigmoid:0.5:0.5", "hardswish"));
        Tensor y = new ReferenceInterpreter(g).run(Map.of("x", X, "r", Tensor.ofFloats(new int[] {1, 2, 1, 3}, new float[6]))).get("y");
        // hardsigmoid(conv) = [0, .75, 1, 1, 0, 0], then v·clamp(v/6 + 1/2, 0, 1).
        assertThat(y.floats()).containsExactly(0f, (float) (0.75 * (0.75 / 6 + 0.5)), (float) (1 / 6.0 + 0.5),
                (float) (1 / 6.0 + 0.5), 0f, 0f);
    }

    @Test
    void keepsTheLayoutOfItsInputAndTheBlockingTransformsOnlyChangeTheLayout() {
        Node to = new Node("t", "ToBlocked", "octet", List.of("x"), List.of("xb"), Attributes.empty());
        Node conv = new Node("f", "FusedConv", "octet", List.of("xb", "w", ""), List.of("yb"),
                Attributes.of(Attribute.ofStrings("epilogue", List.of())));
        Node from = new Node("u", "FromBlocked", "octet", List.of("yb"), List.of("y"), Attributes.empty());
        Graph g = new Graph("g", List.of(new Value("x", X.type())), List.of(new Value("y", null)),
                List.of(to, conv, from), Map.of("w", W), Map.of(), Map.of("", 17, "octet", 1));
        ShapeInference.Result types = ShapeInference.infer(g, Map.of());
        assertThat(types.type("xb").layout()).isEqualTo(Layout.NCHW8C);
        assertThat(types.type("yb")).isEqualTo(TensorType.of(X.dtype(), 1, 2, 1, 3).withLayout(Layout.NCHW8C));
        assertThat(types.type("y").layout()).isEqualTo(Layout.PLAIN);
        assertThat(new ReferenceInterpreter(g).run(Map.of("x", X)).get("y").floats())
                .containsExactly(-1f, 0.5f, 4f, 2f, -1f, -8f);
    }

    @Test
    void rejectsAnEpilogueThatDoesNotFitItsInputsWithOneClearLine() {
        assertThatThrownBy(() -> ShapeInference.infer(fused(List.of("x", "w", ""), List.of("gelu")), Map.of()))
                .isInstanceOf(OctetException.class).hasMessageContaining("node 'f' (octet.FusedConv)")
                .hasMessageContaining("epilogue entry \"gelu\" is not an epilogue step");
        assertThatThrownBy(() -> ShapeInference.infer(fused(List.of("x", "w", ""), List.of("clip:0:x")), Map.of()))
                .hasMessageContaining("\"clip:0:x\"");
        assertThatThrownBy(() -> ShapeInference.infer(fused(List.of("x", "w", "b"), List.of("relu", "bias")),
                Map.of())).hasMessageContaining("listed first");
        assertThatThrownBy(() -> ShapeInference.infer(fused(List.of("x", "w", ""), List.of("residual")), Map.of()))
                .hasMessageContaining("residual input (input 3)");
        assertThatThrownBy(() -> ShapeInference.infer(fused(List.of("x", "w", "", "x"), List.of("residual")),
                Map.of())).hasMessageContaining("the residual must have the result's type f32[1,2,1,3]");
    }

    @Test
    void printsStepsAsTheAttributeHoldsThem() {
        assertThat(List.of(EpilogueStep.BIAS, EpilogueStep.RESIDUAL, EpilogueStep.RELU, EpilogueStep.clip(0, 6),
                EpilogueStep.hardSigmoid(1f / 6, 0.5f), EpilogueStep.HARDSWISH)).extracting(EpilogueStep::text)
                .containsExactly("bias", "residual", "relu", "clip:0.0:6.0", "hardsigmoid:0.16666667:0.5",
                        "hardswish");
    }
}
